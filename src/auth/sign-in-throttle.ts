import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DomainError } from '../common/errors.js';
import { createRedis } from '../queue/redis.js';

export const SIGN_IN_WINDOW_SECONDS = 15 * 60;
/** Failed sign-ins allowed in the window for one account from one IP address. */
export const SIGN_IN_ACCOUNT_LIMIT = 5;
/** Failed sign-ins allowed for one account from all addresses together (a guesser with many addresses). */
export const SIGN_IN_ACCOUNT_CEILING = 50;
/** Failed sign-ins allowed from one IP address, whichever accounts they try (a password sprayer). */
export const SIGN_IN_IP_LIMIT = 50;

/** Account emails (confirmation, reset, "already registered") one address may receive in the window. */
export const ACCOUNT_EMAIL_LIMIT = 3;
export const ACCOUNT_EMAIL_WINDOW_SECONDS = 60 * 60;

/** Thrown when a sign-in is refused for too many failures; carries the seconds to wait. */
export function tooManyAttempts(retryAfterSeconds: number): DomainError {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return new DomainError(
    'too_many_requests',
    'AUTH.TOO_MANY_ATTEMPTS',
    `There have been too many attempts to sign in. Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`,
    [],
    { retryAfterSeconds },
  );
}

/** A limiter in Redis with an in-process insurance limiter that takes over while Redis is away. */
function insuredLimiter(redis: Redis, keyPrefix: string, points: number, duration: number): RateLimiterRedis {
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix,
    points,
    duration,
    // Straight to the insurance limiter while the connection is down, instead of queueing.
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration }),
  });
}

/**
 * Sign-in attempts, counted atomically in Redis (page and API alike) with rate-limiter-flexible:
 * every attempt takes a point before the password is checked, so parallel guesses cannot all pass
 * a check before any failure is counted; a successful one gives its points back.
 *
 * Three counts, each in a 15-minute window from its first attempt:
 * - one account from one IP address: 5 (the usual lock-out, even for the right password);
 * - one account from every address: 50 (so a victim signing in from elsewhere is not locked out
 *   by one attacker, but a guesser with many addresses still is stopped);
 * - one IP address over every account: 50 (a password sprayer; high enough that an office or a
 *   school behind one address is not locked out by a few people's typos).
 * The IP address is the client's as Fastify sees it, which believes X-Forwarded-For only from the
 * proxies in TRUST_PROXY.
 *
 * Every Redis call has a short timeout (REDIS_REQUEST_TIMEOUT_MS): while Redis is frozen or down
 * the counts go on in this process (per process, so a little looser with several web machines)
 * and sign-in neither hangs nor lets guesses through.
 */
@Injectable()
export class SignInThrottle implements OnApplicationShutdown {
  private readonly logger = new Logger(SignInThrottle.name);
  private readonly redis: Redis;
  private readonly pair: RateLimiterRedis;
  private readonly account: RateLimiterRedis;
  private readonly ip: RateLimiterRedis;
  private readonly emails: RateLimiterRedis;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.redis = createRedis(config.redisUrl, {
      maxRetriesPerRequest: 1,
      commandTimeout: config.redisRequestTimeoutMs,
      connectTimeout: Math.max(1000, config.redisRequestTimeoutMs * 2),
      enableOfflineQueue: false,
    });
    this.redis.on('error', (error: Error) => this.logger.warn(`Redis (sign-in limits): ${error.message}`));
    const prefix = `${config.queuePrefix}:sign-in`;
    this.pair = insuredLimiter(this.redis, `${prefix}:pair`, SIGN_IN_ACCOUNT_LIMIT, SIGN_IN_WINDOW_SECONDS);
    this.account = insuredLimiter(this.redis, `${prefix}:account`, SIGN_IN_ACCOUNT_CEILING, SIGN_IN_WINDOW_SECONDS);
    this.ip = insuredLimiter(this.redis, `${prefix}:ip`, SIGN_IN_IP_LIMIT, SIGN_IN_WINDOW_SECONDS);
    this.emails = insuredLimiter(this.redis, `${prefix}:emails`, ACCOUNT_EMAIL_LIMIT, ACCOUNT_EMAIL_WINDOW_SECONDS);
  }

  /** Keys never hold the email itself. */
  private accountKey(email: string): string {
    return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
  }

  private counts(email: string, ip: string): [RateLimiterRedis, string][] {
    const account = this.accountKey(email);
    return [
      [this.pair, `${account}:${ip}`],
      [this.account, account],
      [this.ip, ip],
    ];
  }

  /**
   * Counts one attempt, before the password is checked; refuses (429) when the account from this
   * address, the account, or the address is over its limit.
   */
  async attempt(email: string, ip: string): Promise<void> {
    const results = await Promise.allSettled(this.counts(email, ip).map(([limiter, key]) => limiter.consume(key)));
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (refused.length === 0) return;
    const waits = refused.map((r) => (r.reason instanceof RateLimiterRes ? r.reason.msBeforeNext : null));
    // Neither Redis nor the insurance limiter answered: an error, not a refusal.
    if (waits.some((w) => w === null)) throw refused.find((_, i) => waits[i] === null)!.reason;
    this.logger.warn(`Sign-in refused (too many attempts) from ${ip}`);
    throw tooManyAttempts(Math.max(1, Math.ceil(Math.max(...(waits as number[])) / 1000)));
  }

  /** The right password: the account's counts from this address start again, the others get the point back. */
  async succeeded(email: string, ip: string): Promise<void> {
    const [[pair, pairKey], [account, accountKey], [perIp, ipKey]] = this.counts(email, ip);
    await Promise.allSettled([pair.delete(pairKey), account.reward(accountKey), perIp.reward(ipKey)]);
  }

  /** A wrong password (already counted by attempt()). */
  recordFailure(ip: string): void {
    this.logger.warn(`Failed sign-in from ${ip}`);
  }

  /**
   * Counts an account email to an address and says whether it may be sent. Past the limit the
   * caller sends nothing but answers as usual, so the service cannot be used to flood someone's
   * inbox and the answer still reveals nothing about which addresses have accounts.
   */
  async allowAccountEmail(email: string): Promise<boolean> {
    try {
      await this.emails.consume(this.accountKey(email));
      return true;
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      this.logger.warn('Account email not sent: the address has had its limit this hour');
      return false;
    }
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
