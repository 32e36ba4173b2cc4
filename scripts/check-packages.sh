#!/usr/bin/env bash
# Packs every public package as it would be published (pnpm pack rewrites workspace: ranges),
# then lints the tarballs: publint --strict for all of them, and @arethetypeswrong/cli for the
# libraries (ESM, CommonJS, and TypeScript's node10, node16 and bundler resolution); then
# installs them into fresh projects and runs those (scripts/check-consumers.sh).
# Needs a build first (`pnpm build`). Fails on any problem either tool reports.
set -euo pipefail
cd "$(dirname "$0")/.."

libraries=(packages/core packages/fs-adapter packages/memory-adapter packages/s3-adapter
  packages/xdelta3-codec packages/vcdiff-codec packages/exporter apps/sdk)
# Runs inside vitest, which is ESM-only: checked as an ESM-only package.
esm_only=(packages/object-store-contract)
programs=(apps/cli)

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for dir in "${libraries[@]}" "${esm_only[@]}" "${programs[@]}"; do
  (cd "$dir" && pnpm pack --pack-destination "$out" >/dev/null)
done

for tarball in "$out"/*.tgz; do
  pnpm exec publint --strict "$tarball"
done
for dir in "${libraries[@]}"; do
  name=$(node -p "require('./$dir/package.json').name.replace('@', '').replace('/', '-')")
  pnpm exec attw "$out/$name"-*.tgz --format ascii
done
for dir in "${esm_only[@]}"; do
  name=$(node -p "require('./$dir/package.json').name.replace('@', '').replace('/', '-')")
  pnpm exec attw "$out/$name"-*.tgz --format ascii --profile esm-only
done
# Installed into fresh ESM, CommonJS and TypeScript projects, and run.
bash scripts/check-consumers.sh "$out"
echo "packages: $((${#libraries[@]} + ${#esm_only[@]})) libraries and ${#programs[@]} program packed and checked"
