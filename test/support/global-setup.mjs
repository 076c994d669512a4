// Builds the stylesheet once before the tests (browser tests and axe need real CSS).
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

export default async function globalSetup() {
  const css = 'dist/public/application.css';
  if (!existsSync('scripts/build-css.mjs')) return;
  if (!existsSync(css) || statSync(css).mtimeMs < newest('src/web/assets')) {
    const { buildCss } = await import('../../scripts/build-css.mjs');
    await buildCss({ outDir: 'dist/public' });
  }
}
