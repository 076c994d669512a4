import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json, whether running from src/ (tests) or dist/src/ (built). */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('Cannot find the project root (package.json)');
    dir = up;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot();
export const TEMPLATES_DIR = join(PROJECT_ROOT, 'templates');
export const GOVUK_DIR = join(PROJECT_ROOT, 'node_modules', 'govuk-frontend', 'dist');
