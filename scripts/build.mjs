// Builds dist/: tsc emits CommonJS + declarations to dist/cjs; the ESM entry points are thin
// wrappers that re-export the CommonJS build. One module instance serves both `require` and
// `import`, so an app that mixes them never gets two instrumentations or two meter registries
// (the dual-package hazard), and Node's CJS named-export detection keeps `import { X }` working.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');

/** Entry points named in package.json "exports" and "bin". */
const entries = ['index', 'register', 'cli'];

rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});

const esm = join(root, 'dist', 'esm');
mkdirSync(esm, { recursive: true });
for (const entry of entries) {
  const reexport = `export * from '../cjs/${entry}.js';\n`;
  writeFileSync(join(esm, `${entry}.mjs`), reexport);
  writeFileSync(join(esm, `${entry}.d.mts`), reexport);
}
// `node --import kafka-otel/register` also needs the ESM loader hook, registered before the
// SDK starts; the CommonJS esm-entry does both (register.ts is the `--require` path).
writeFileSync(join(esm, 'register.mjs'), "import '../cjs/register/esm-entry.js';\n");
chmodSync(join(root, 'dist', 'cjs', 'cli.js'), 0o755);
