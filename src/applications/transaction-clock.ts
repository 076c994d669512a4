import type { EntityManager } from 'typeorm';

/**
 * The one clock of a use case that checks a deadline: the database's transaction time (`now()`
 * is fixed at the transaction's start), so every check inside one transaction sees the same instant.
 */
export async function transactionTime(m: EntityManager): Promise<Date> {
  const [{ now }]: { now: Date }[] = await m.query(`SELECT now() AS now`);
  return new Date(now);
}
