#!/usr/bin/env bash
# Installs the packed tarballs (a directory of *.tgz, from check-packages.sh) into fresh
# projects as users would, and runs them: ESM (import), CommonJS (require), and TypeScript with
# node16 and bundler resolution (tsc --noEmit). Each computes stats on file:// and through a
# custom ObjectStore. Dependencies come from the pnpm store (or the registry when missing).
set -euo pipefail
tarballs=$1
here="$(cd "$(dirname "$0")" && pwd)"
tsc="$here/../node_modules/.bin/tsc"
project=$(mktemp -d)
trap 'rm -rf "$project"' EXIT

tgz() { ls "$tarballs"/deltaglider-"$1"-*.tgz; }
# Every @deltaglider dependency resolves to its tarball, never to the registry.
cat >"$project/package.json" <<JSON
{
  "name": "deltaglider-consumer",
  "private": true,
  "dependencies": {
    "@deltaglider/core": "file:$(tgz core)",
    "@deltaglider/sdk": "file:$(tgz sdk)",
    "@deltaglider/s3-adapter": "file:$(tgz s3-adapter)",
    "@deltaglider/fs-adapter": "file:$(tgz fs-adapter)",
    "@deltaglider/memory-adapter": "file:$(tgz memory-adapter)",
    "@deltaglider/xdelta3-codec": "file:$(tgz xdelta3-codec)",
    "@deltaglider/vcdiff-codec": "file:$(tgz vcdiff-codec)",
    "@deltaglider/exporter": "file:$(tgz exporter)"
  },
  "pnpm": {
    "overrides": {
      "@deltaglider/core": "file:$(tgz core)",
      "@deltaglider/sdk": "file:$(tgz sdk)",
      "@deltaglider/s3-adapter": "file:$(tgz s3-adapter)",
      "@deltaglider/fs-adapter": "file:$(tgz fs-adapter)",
      "@deltaglider/memory-adapter": "file:$(tgz memory-adapter)",
      "@deltaglider/xdelta3-codec": "file:$(tgz xdelta3-codec)",
      "@deltaglider/vcdiff-codec": "file:$(tgz vcdiff-codec)"
    }
  }
}
JSON
cp "$here/consumers/stats.mjs" "$here/consumers/stats.cjs" "$here/consumers/stats.ts" "$project/"
(cd "$project" && pnpm install --prefer-offline --silent --ignore-workspace >/dev/null)

export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
expected_esm="esm 0 1 100"
expected_cjs="cjs 0 1 100"
esm=$(cd "$project" && node stats.mjs)
cjs=$(cd "$project" && node stats.cjs)
[[ "$esm" == "$expected_esm" ]] || { echo "consumers: ESM printed '$esm', expected '$expected_esm'" >&2; exit 1; }
[[ "$cjs" == "$expected_cjs" ]] || { echo "consumers: CommonJS printed '$cjs', expected '$expected_cjs'" >&2; exit 1; }

for resolution in node16 bundler; do
  module=$([[ $resolution == node16 ]] && echo node16 || echo esnext)
  (cd "$project" && "$tsc" --noEmit --strict --exactOptionalPropertyTypes --skipLibCheck false \
    --target es2022 --module "$module" --moduleResolution "$resolution" --types node \
    --typeRoots "$here/../node_modules/@types" stats.ts)
done
echo "consumers: ESM, CommonJS and TypeScript (node16, bundler) projects installed the tarballs and ran"
