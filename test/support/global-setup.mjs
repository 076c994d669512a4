// Runs once before the tests: builds the stylesheet (browser tests and axe need real CSS) and drops
// the test databases and old templates that killed runs left behind.
import { existsSync, statSync, readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { URL } from 'node:url';
import { dropStaleTestDatabases } from './test-databases.mjs';

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** The PostgreSQL server the tests use, as test/support/test-app.ts connects to it. */
function serverUrl() {
  const url = new URL('postgres://127.0.0.1:5432/postgres');
  url.username = process.env.PGUSER || process.env.USER || userInfo().username;
  return url.toString();
}

export default async function globalSetup(globalConfig) {
  const css = 'dist/public/application.css';
  if (existsSync('scripts/build-css.mjs') && (!existsSync(css) || statSync(css).mtimeMs < newest('src/web/assets'))) {
    const { buildCss } = await import('../../scripts/build-css.mjs');
    await buildCss({ outDir: 'dist/public' });
  }
  // Only when some test needs the database: the unit tier runs without PostgreSQL.
  const needsDatabase = !(globalConfig?.selectProjects?.length === 1 && globalConfig.selectProjects[0] === 'unit');
  if (needsDatabase) {
    const dropped = await dropStaleTestDatabases(serverUrl());
    if (dropped.length) process.stderr.write(`Dropped ${dropped.length} test database(s) left by earlier runs\n`);
  }
}
