import type { DataSource } from 'typeorm';

/**
 * Runs `work` and returns the SQL statements the app sent through `db` meanwhile (whitespace
 * collapsed), for tests that hold a list or a save to a fixed number of queries.
 */
export async function queriesDuring(db: DataSource, work: () => Promise<unknown>): Promise<string[]> {
  const logger = db.logger;
  const original = logger.logQuery.bind(logger);
  const seen: string[] = [];
  logger.logQuery = (query, parameters, runner) => {
    seen.push(query.replace(/\s+/g, ' ').trim());
    return original(query, parameters, runner);
  };
  try {
    await work();
  } finally {
    logger.logQuery = original;
  }
  return seen;
}
