// `npm start` / `npm run worker`: builds when the sources are newer than dist/, then runs dist/src/main.js.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let latest = 0;
  if (!existsSync(dir)) return latest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const entry = 'dist/src/main.js';
const built = existsSync(entry) && existsSync('dist/public/application.css') ? statSync(entry).mtimeMs : 0;
const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : 0);
const sources = Math.max(newest('src'), newest('migrations'), mtime('package-lock.json'));
if (built < sources) {
  console.log('scf: building…');
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
await import('../' + entry);
