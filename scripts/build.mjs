// Compiles TypeScript (src, migrations) to dist/ and the stylesheet to dist/public/.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { buildCss } from './build-css.mjs';

rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
await buildCss({ outDir: 'dist/public' });
console.log('scf: built dist/');
