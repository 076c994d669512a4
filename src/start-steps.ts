import type { AppConfig } from './config/config.js';
import { ensureDatabase } from './database/ensure-database.js';
import { runMigrations } from './database/migrate.js';
import { checkPostgres, checkRedis, checkSecrets } from './startup-checks.js';

export type StartMode = 'web' | 'worker' | 'migrate';
/** Writes one plain line for a person watching the service start. */
export type Say = (line: string) => void;
/** Loads the demo data into an empty database; true when it did (false: it was already there). */
export type SeedStep = (config: AppConfig) => Promise<boolean>;

const databaseName = (url: string) => decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));

/**
 * What happens before the service takes requests, one plain line per step: the dependencies are
 * up, the database exists (or was created), the migrations are applied, the demo data is loaded.
 * The demo seed is handed in by the composition root (main.ts), so the app never imports demo/;
 * without one, the demo step is left out.
 */
export async function prepareToStart(config: AppConfig, mode: StartMode, say: Say, steps: { seed?: SeedStep } = {}): Promise<void> {
  if (mode !== 'migrate') checkSecrets(config);
  await checkPostgres(config);
  await checkRedis(config);
  say('PostgreSQL and Redis are answering');
  const name = databaseName(config.databaseUrl);
  say((await ensureDatabase(config.databaseUrl)) ? `created the database "${name}"` : `using the database "${name}"`);
  const applied = await runMigrations(config.databaseUrl);
  say(applied.length ? `applied ${applied.length} migration${applied.length === 1 ? '' : 's'}` : 'the database is up to date (no migrations to apply)');
  if (mode !== 'web' || config.nodeEnv === 'production' || !steps.seed) return;
  say('loading the demo data (first start only)…');
  say((await steps.seed(config)) ? 'loaded the demo data: users, organisations, the fund, past rounds and an open round' : 'the demo data is already there');
}

/** The last line: where to go, and how to sign in to the demo. */
export function readyLine(config: AppConfig): string {
  const demo = config.nodeEnv !== 'production' ? ` (demo sign-ins are listed on the start page; the password is "${config.demoPassword}")` : '';
  return `ready: open ${config.publicUrl} in your browser${demo}`;
}
