// Compiles TypeScript (src, migrations) to dist/ and the stylesheet to dist/public/, one line a step.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { buildCss } from './build-css.mjs';

const started = Date.now();
const step = (line) => console.log(`scf: ${line}`);
const seconds = () => `${Math.round((Date.now() - started) / 1000)} s`;

rmSync('dist', { recursive: true, force: true });
step('building 1 of 2: compiling TypeScript to dist/ (the first build takes about 20 seconds)…');
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
step(`building 2 of 2: compiling the stylesheet (${seconds()} so far)…`);
await buildCss({ outDir: 'dist/public' });
step(`built dist/ in ${seconds()}`);
