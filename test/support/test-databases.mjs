// The test databases: one migrated template per set of migrations, cloned for each test file, and
// the clean-up of databases that killed runs left behind. Plain JavaScript so jest's globalSetup
// (which is not transformed) and the TypeScript tests share one copy.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, URL } from 'node:url';
import pg from 'pg';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Every test database's name starts with this, then the process id that owns it. */
export const TEST_DATABASE_PREFIX = 'scf_test_';
export const TEMPLATE_PREFIX = 'scf_template_';
/** Advisory locks are per database: every lock below is taken on the maintenance database. */
const TEMPLATE_LOCK = 7242019;

/** A hash of the migrations' source: a changed or added migration means a new template. */
export function migrationsHash(dir = join(ROOT, 'migrations')) {
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.ts')).sort()) {
    hash.update(name).update('\0').update(readFileSync(join(dir, name))).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

export const templateName = (hash = migrationsHash()) => `${TEMPLATE_PREFIX}${hash}`;

/** A database URL with another database name. */
export function databaseUrlFor(url, name) {
  const next = new URL(url);
  next.pathname = `/${name}`;
  return next.toString();
}

function checkName(name) {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`Database name "${name}" must be lower-case letters, digits and underscores`);
  return name;
}

/** Runs `fn` with a client on the maintenance database ("postgres"). */
export async function withAdmin(url, fn) {
  const client = new pg.Client({ connectionString: databaseUrlFor(url, 'postgres'), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Runs `fn` holding the template lock (one builder or cleaner at a time, across processes). */
export async function withTemplateLock(url, fn) {
  return withAdmin(url, async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      return await fn(client);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]).catch(() => undefined);
    }
  });
}

export async function databaseExists(client, name) {
  return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount > 0;
}

/** "being accessed by other users": a backend that just disconnected can take a moment to exit. */
const IN_USE = '55006';

async function retryWhileInUse(fn, attempts = 50) {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (error) {
      if (error.code !== IN_USE || i >= attempts) throw error;
      await sleep(100);
    }
  }
}

/**
 * Makes sure the migrated template exists: under the lock, the first caller builds it in a
 * database of its own (`migrate(url)` runs the real migrations) and renames it into place when
 * done, so nobody ever clones a half-migrated template. Returns the template's name.
 */
export async function ensureTemplate(url, migrate, hash = migrationsHash()) {
  const template = templateName(hash);
  const building = `${template}_building`;
  await withTemplateLock(url, async (client) => {
    if (await databaseExists(client, template)) return;
    // Left by a builder that was killed: nobody else builds while we hold the lock.
    await client.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${building}"`);
    try {
      await migrate(databaseUrlFor(url, building));
      await retryWhileInUse(() => client.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`));
    } catch (error) {
      await client.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`).catch(() => undefined);
      throw error;
    }
  });
  return template;
}

/**
 * Creates database `name` as a copy of the migrated template (building the template first if it
 * is missing, for example when another run's clean-up has just dropped an old one).
 */
export async function createTestDatabase(url, name, migrate, hash = migrationsHash()) {
  checkName(name);
  for (let attempt = 1; ; attempt++) {
    const template = await ensureTemplate(url, migrate, hash);
    try {
      await withAdmin(url, (client) => retryWhileInUse(() => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`)));
      return databaseUrlFor(url, name);
    } catch (error) {
      // 3D000: the template went away between the check and the copy; build it again.
      if (error.code !== '3D000' || attempt >= 3) throw error;
    }
  }
}

/** Whether a process with this id is running on this machine. */
export function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** The process id in a test database's name ("scf_test_1234_ab12", "scf_test_demo_1234"), or null. */
export function ownerPid(name) {
  const match = /^scf_test_(?:[a-z]+_)?(\d+)(?:_|$)/.exec(name);
  return match ? Number(match[1]) : null;
}

/**
 * Drops what killed runs left behind: test databases whose owning process is gone and that no
 * session uses, and templates of other migrations (or half-built ones) that no session uses.
 * Runs under the template lock, so no template is being built meanwhile. A database that someone
 * connects to at the last moment is kept (DROP without FORCE refuses it). Returns what it dropped.
 */
export async function dropStaleTestDatabases(url, options = {}) {
  const alive = options.processAlive ?? processAlive;
  const keepTemplate = templateName(options.hash ?? migrationsHash());
  return withTemplateLock(url, async (client) => {
    const { rows } = await client.query(
      `SELECT d.datname AS name FROM pg_database d
        WHERE (d.datname LIKE 'scf\\_test\\_%' OR d.datname LIKE 'scf\\_template\\_%')
          AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)
        ORDER BY d.datname`,
    );
    const dropped = [];
    for (const { name } of rows) {
      if (name === keepTemplate) continue;
      if (name.startsWith(TEST_DATABASE_PREFIX)) {
        const pid = ownerPid(name);
        if (pid !== null && alive(pid)) continue;
      }
      try {
        await client.query(`DROP DATABASE "${checkName(name)}"`);
        dropped.push(name);
      } catch (error) {
        if (error.code !== IN_USE && error.code !== '3D000') throw error;
      }
    }
    return dropped;
  });
}
