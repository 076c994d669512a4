// `npm start` / `npm run worker`: builds when the sources are newer than dist/, then runs dist/src/main.js.
import { execFileSync } from 'node:child_process';
import { needsBuild } from './build-state.mjs';

if (needsBuild()) {
  console.log('scf: the sources changed since the last build, so building first');
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
await import('../dist/src/main.js');
