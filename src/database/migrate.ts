import { createDataSource } from './data-source.js';

/**
 * Applies pending migrations under an advisory lock, so several machines starting at once
 * run them one at a time (the later ones find nothing to do).
 */
export async function runMigrations(databaseUrl: string): Promise<string[]> {
  const ds = createDataSource(databaseUrl);
  await ds.initialize();
  const runner = ds.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock(7242018)');
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(7242018)').catch(() => undefined);
    await runner.release();
    await ds.destroy();
  }
}
