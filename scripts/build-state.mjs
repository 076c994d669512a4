// Whether dist/ is older than the sources (shared by start and bench).
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

const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : 0);

export function needsBuild(entry = 'dist/src/main.js') {
  const built = existsSync(entry) && existsSync('dist/public/application.css') ? statSync(entry).mtimeMs : 0;
  return built < Math.max(newest('src'), newest('migrations'), mtime('package-lock.json'));
}
