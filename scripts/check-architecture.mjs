// Checks what biome cannot: in @deltaglider/core, imports point down the layers only (a use
// case may use the domain, never the reverse), and no function grows past 80 lines.
// Run by `pnpm lint`; prints every violation and exits 1 when there is any.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = new URL('../packages/core/src/', import.meta.url).pathname;
// Lowest first. A folder may import from its own layer and the ones below.
const layers = [
  ['ports', 'errors', 'hashing'],
  ['layout', 'metadata', 'store-support'],
  ['listing'],
  ['stats'],
  ['inventory'],
  ['cache'],
  ['delta'],
  ['operations'],
];
const MAX_FUNCTION_LINES = 80;

const layerOf = (folder) => layers.findIndex((names) => names.includes(folder));
const problems = [];

function* sourceFiles(directory) {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) yield path;
  }
}

for (const file of sourceFiles(root)) {
  const name = relative(root, file);
  const folder = name.includes('/') ? name.split('/')[0] : undefined;
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  if (folder !== undefined) {
    if (layerOf(folder) === -1) problems.push(`${name}: folder ${folder} is in no layer`);
    for (const statement of source.statements) {
      const specifier =
        (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
        statement.moduleSpecifier &&
        ts.isStringLiteral(statement.moduleSpecifier)
          ? statement.moduleSpecifier.text
          : undefined;
      if (!specifier?.startsWith('.')) continue;
      const target = relative(root, join(file, '..', specifier)).split('/')[0];
      if (target === folder || layerOf(target) === -1) continue;
      if (layerOf(target) > layerOf(folder))
        problems.push(`${name}: imports ${specifier}, a layer above ${folder}/`);
    }
  }
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      if (end - start + 1 > MAX_FUNCTION_LINES) {
        const label = node.name?.getText() ?? `function at line ${start + 1}`;
        problems.push(
          `${name}: ${label} is ${end - start + 1} lines (at most ${MAX_FUNCTION_LINES})`,
        );
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

if (problems.length > 0) {
  for (const problem of problems) console.error(`architecture: ${problem}`);
  process.exit(1);
}
console.log(`architecture: core's layers point down, no function over ${MAX_FUNCTION_LINES} lines`);
