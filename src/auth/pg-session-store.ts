import type { SessionStore } from '@fastify/session';
import type { Session } from 'fastify';
import type { DataSource } from 'typeorm';

type Callback = (error?: unknown) => void;
type GetCallback = (error: unknown, session?: Session | null) => void;

interface StoredSession {
  cookie?: { expires?: string | Date | null; originalMaxAge?: number | null };
  userId?: string;
  [key: string]: unknown;
}

/**
 * Keeps browser sessions in PostgreSQL (the `sessions` table), so any web machine can serve any
 * user and ending a person's sessions (sign out everywhere, password change, disabled account)
 * is one DELETE by user id.
 */
export class PgSessionStore implements SessionStore {
  /**
   * What this process last wrote for each session, and when. With rolling expiry every request
   * saves the session; when only the expiry moved and the row was written in the last minute, the
   * write is skipped (the idle timeout is then exact to within a minute).
   */
  private readonly recent = new Map<string, { data: string; at: number }>();
  static readonly REWRITE_AFTER_MS = 60_000;
  private static readonly MAX_REMEMBERED = 10_000;

  constructor(
    private readonly dataSource: DataSource,
    private readonly defaultTtlSeconds: number,
  ) {}

  set(sid: string, fastifySession: Session, callback: Callback): void {
    const session = fastifySession as unknown as StoredSession;
    const expires = session.cookie?.expires ? new Date(session.cookie.expires) : new Date(Date.now() + this.defaultTtlSeconds * 1000);
    const { cookie: _cookie, ...content } = session;
    const data = JSON.stringify(content);
    const last = this.recent.get(sid);
    const now = Date.now();
    if (last && last.data === data && now - last.at < PgSessionStore.REWRITE_AFTER_MS) return callback();
    if (this.recent.size >= PgSessionStore.MAX_REMEMBERED) this.recent.clear();
    this.recent.set(sid, { data, at: now });
    this.dataSource
      .query(
        `INSERT INTO sessions (sid, user_id, data, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (sid) DO UPDATE SET user_id = EXCLUDED.user_id, data = EXCLUDED.data, expires_at = EXCLUDED.expires_at`,
        [sid, session.userId ?? null, JSON.stringify(session), expires],
      )
      .then(
        () => callback(),
        (error: unknown) => {
          this.recent.delete(sid);
          callback(error);
        },
      );
  }

  get(sid: string, callback: GetCallback): void {
    this.dataSource
      .query(`SELECT data FROM sessions WHERE sid = $1 AND expires_at > now()`, [sid])
      .then((rows: { data: Session }[]) => callback(null, rows[0]?.data ?? null), (error: unknown) => callback(error));
  }

  destroy(sid: string, callback: Callback): void {
    this.recent.delete(sid);
    this.dataSource.query(`DELETE FROM sessions WHERE sid = $1`, [sid]).then(() => callback(), callback);
  }
}

/** Deletes sessions past their expiry (housekeeping); returns how many. */
export async function purgeExpiredSessions(dataSource: DataSource): Promise<number> {
  const result = await dataSource.createQueryBuilder().delete().from('sessions').where('expires_at < now()').execute();
  return result.affected ?? 0;
}

/** Ends every browser session of a person, optionally keeping the current one. */
export async function endSessionsOf(
  run: { query: (sql: string, params: unknown[]) => Promise<unknown> },
  userId: string,
  exceptSid?: string,
): Promise<void> {
  await run.query(`DELETE FROM sessions WHERE user_id = $1 AND sid <> $2`, [userId, exceptSid ?? '']);
}
