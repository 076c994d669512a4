import { loadConfig } from './config/config.js';
import { checkPostgres, checkRedis, checkSecrets, DependencyError } from './startup-checks.js';

describe('start-up dependency checks', () => {
  it('names PostgreSQL and how to start it when it is unreachable, in one line', async () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://scf:secret@127.0.0.1:1/scf' });
    const error = await checkPostgres(config).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyError);
    const message = (error as Error).message;
    expect(message).toMatch(/^PostgreSQL is not reachable at postgres:\/\/scf:\*\*\*@127\.0\.0\.1:1\/scf .*start it/);
    expect(message).not.toContain('secret');
    expect(message).not.toContain('\n');
  });

  it('names Redis and how to start it when it is unreachable, in one line', async () => {
    const error = await checkRedis(loadConfig({ REDIS_URL: 'redis://127.0.0.1:1' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyError);
    expect((error as Error).message).toMatch(/^Redis is not reachable at redis:\/\/127\.0\.0\.1:1 .*start it/);
    expect((error as Error).message).not.toContain('\n');
  });

  it('passes when both are up', async () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://127.0.0.1:5432/postgres', REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379' });
    await expect(checkPostgres(config)).resolves.toBeUndefined();
    await expect(checkRedis(config)).resolves.toBeUndefined();
  });

  it('refuses to start in production without DATA_KEY, and starts without it elsewhere', () => {
    const production = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) };
    expect(() => checkSecrets(loadConfig(production))).toThrow(DependencyError);
    expect(() => checkSecrets(loadConfig(production))).toThrow(/DATA_KEY is not set/);
    expect(() => checkSecrets(loadConfig({ ...production, DATA_KEY: Buffer.alloc(32, 1).toString('base64') }))).not.toThrow();
    expect(() => checkSecrets(loadConfig({}))).not.toThrow();
  });
});
