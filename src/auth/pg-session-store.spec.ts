import type { Session } from 'fastify';
import type { DataSource } from 'typeorm';
import { PgSessionStore } from './pg-session-store.js';

/** Records the statements the store sends instead of running them. */
function recordingStore() {
  const statements: string[] = [];
  const dataSource = { query: async (sql: string) => (statements.push(sql.trim().split(/\s+/)[0]), []) } as unknown as DataSource;
  return { store: new PgSessionStore(dataSource, 1800), statements };
}

const session = (data: Record<string, unknown>) => ({ cookie: { expires: new Date(Date.now() + 1800_000) }, ...data }) as unknown as Session;
const save = (store: PgSessionStore, sid: string, s: Session) => new Promise<void>((resolve, reject) => store.set(sid, s, (e) => (e ? reject(e) : resolve())));

describe('PgSessionStore', () => {
  it('writes a session once, then skips rewrites that only move the expiry within a minute', async () => {
    const { store, statements } = recordingStore();
    await save(store, 'a', session({ userId: 'u1' }));
    await save(store, 'a', session({ userId: 'u1' }));
    await save(store, 'a', session({ userId: 'u1' }));
    expect(statements).toEqual(['INSERT']);
  });

  it('writes again when the content changes, and for every other session', async () => {
    const { store, statements } = recordingStore();
    await save(store, 'a', session({ userId: 'u1' }));
    await save(store, 'a', session({ userId: 'u1', flash: { type: 'success', text: 'Saved' } }));
    await save(store, 'b', session({ userId: 'u1' }));
    expect(statements).toEqual(['INSERT', 'INSERT', 'INSERT']);
  });

  it('writes again after a minute, and after the session was destroyed', async () => {
    const { store, statements } = recordingStore();
    const realNow = Date.now;
    try {
      await save(store, 'a', session({ userId: 'u1' }));
      Date.now = () => realNow() + PgSessionStore.REWRITE_AFTER_MS + 1;
      await save(store, 'a', session({ userId: 'u1' }));
      await new Promise<void>((resolve) => store.destroy('a', () => resolve()));
      await save(store, 'a', session({ userId: 'u1' }));
    } finally {
      Date.now = realNow;
    }
    expect(statements).toEqual(['INSERT', 'INSERT', 'DELETE', 'INSERT']);
  });
});
