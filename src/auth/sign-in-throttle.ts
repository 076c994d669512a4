import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DomainError } from '../common/errors.js';
import { createRedis } from '../queue/redis.js';

export const SIGN_IN_WINDOW_SECONDS = 15 * 60;
/** Failed sign-ins allowed per account, and per IP address, in the window. */
export const SIGN_IN_ACCOUNT_LIMIT = 5;
export const SIGN_IN_IP_LIMIT = 20;

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

/**
 * Counts failed sign-ins in Redis (page and API alike), per account and per IP address, in a
 * fixed window. Over either limit, sign-in is refused until the window ends, even with the
 * right password. A successful sign-in clears the account's count.
 */
@Injectable()
export class SignInThrottle implements OnApplicationShutdown {
  private readonly logger = new Logger(SignInThrottle.name);
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.redis = createRedis(config.redisUrl, { maxRetriesPerRequest: 3 });
    this.prefix = `${config.queuePrefix}:sign-in`;
  }

  /** Keys never hold the email itself. */
  private accountKey(email: string): string {
    return `${this.prefix}:account:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;
  }

  private ipKey(ip: string): string {
    return `${this.prefix}:ip:${ip}`;
  }

  /** Refuses (429) when the account or the IP address is over its limit. */
  async check(email: string, ip: string): Promise<void> {
    for (const [key, limit] of [
      [this.accountKey(email), SIGN_IN_ACCOUNT_LIMIT],
      [this.ipKey(ip), SIGN_IN_IP_LIMIT],
    ] as const) {
      const count = Number((await this.redis.get(key)) ?? 0);
      if (count >= limit) {
        const ttl = await this.redis.ttl(key);
        throw tooManyAttempts(ttl > 0 ? ttl : SIGN_IN_WINDOW_SECONDS);
      }
    }
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    const pipeline = this.redis.multi();
    for (const key of [this.accountKey(email), this.ipKey(ip)]) {
      // The window starts with the first failure; INCR keeps the expiry.
      pipeline.set(key, '0', 'EX', SIGN_IN_WINDOW_SECONDS, 'NX');
      pipeline.incr(key);
    }
    await pipeline.exec();
    this.logger.warn(`Failed sign-in from ${ip}`);
  }

  /**
   * Counts an account email to an address and says whether it may be sent. Past the limit the
   * caller sends nothing but answers as usual, so the service cannot be used to flood someone's
   * inbox and the answer still reveals nothing about which addresses have accounts.
   */
  async allowAccountEmail(email: string): Promise<boolean> {
    const key = this.accountKey(email).replace(':account:', ':emails:');
    const results = await this.redis.multi().set(key, '0', 'EX', ACCOUNT_EMAIL_WINDOW_SECONDS, 'NX').incr(key).exec();
    const count = Number(results?.[1]?.[1] ?? 0);
    if (count > ACCOUNT_EMAIL_LIMIT) this.logger.warn('Account email not sent: the address has had its limit this hour');
    return count <= ACCOUNT_EMAIL_LIMIT;
  }

  async clearAccount(email: string): Promise<void> {
    await this.redis.del(this.accountKey(email));
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
