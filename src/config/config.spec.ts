import { ConfigError, loadConfig, withDatabaseUser } from './config.js';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({ USER: 'ci' });
    expect(c).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      databaseUrl: 'postgres://ci@localhost:5432/scf',
      redisUrl: 'redis://localhost:6379',
      smtpUrl: null,
      mailFrom: 'Safer Communities Fund <grants@localhost>',
      publicUrl: 'http://localhost:3000',
      workers: true,
      demoPassword: 'safer-communities-demo',
      assessmentReminderDaysBefore: 2,
      assessmentOverdueAfterDays: 1,
    });
    expect(loadConfig({ USER: 'ci', ASSESSMENT_REMINDER_DAYS_BEFORE: '0', ASSESSMENT_OVERDUE_AFTER_DAYS: '7' })).toMatchObject({ assessmentReminderDaysBefore: 0, assessmentOverdueAfterDays: 7 });
    expect(c.sessionSecret).toHaveLength(64);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be between/],
    [{ DATABASE_URL: 'mysql://x/y' }, /DATABASE_URL must start with postgres:/],
    [{ REDIS_URL: 'not a url' }, /REDIS_URL is not a valid URL/],
    [{ SMTP_URL: 'http://mail' }, /SMTP_URL must start with smtp:/],
    [{ WORKERS: 'maybe' }, /WORKERS must be "on" or "off"/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV must be one of/],
    [{ NODE_ENV: 'production' }, /SESSION_SECRET must be set/],
    [{ SESSION_SECRET: 'short' }, /at least 32 characters/],
    [{ ORG_ID_PREFIX: 'GB-CHC' }, /ORG_ID_PREFIX must be a 360Giving prefix/],
    [{ TRUST_PROXY: 'everyone' }, /TRUST_PROXY must be off, a number of proxies, or addresses/],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /TRUST_PROXY must be/],
    [{ TRUST_PROXY: '0' }, /TRUST_PROXY as a number of proxies must be between 1 and 10/],
    [{ MAIL_LEASE_SECONDS: '0' }, /MAIL_LEASE_SECONDS must be between/],
    [{ OFFER_ACCEPT_DAYS: '0' }, /OFFER_ACCEPT_DAYS must be between/],
    [{ OFFER_ACCEPT_DAYS: 'a month' }, /OFFER_ACCEPT_DAYS must be/],
    [{ ASSESSMENT_REMINDER_DAYS_BEFORE: 'two' }, /ASSESSMENT_REMINDER_DAYS_BEFORE must be a whole number/],
    [{ ASSESSMENT_OVERDUE_AFTER_DAYS: '61' }, /ASSESSMENT_OVERDUE_AFTER_DAYS must be between/],
    [{ DATA_KEY: 'too-short' }, /DATA_KEY must be 32 bytes/],
    [{ DATA_KEY: 'ab'.repeat(31) }, /DATA_KEY must be 32 bytes/],
    [{ PAYMENT_APPROVAL_THRESHOLD_PENCE: '£5,000' }, /PAYMENT_APPROVAL_THRESHOLD_PENCE must be a whole number/],
  ])('refuses %j with one clear sentence', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('gives an offer 28 days to be accepted unless OFFER_ACCEPT_DAYS says otherwise', () => {
    expect(loadConfig({}).offerAcceptDays).toBe(28);
    expect(loadConfig({ OFFER_ACCEPT_DAYS: '14' }).offerAcceptDays).toBe(14);
  });

  it('reads DATA_KEY as hex or base64 (32 bytes), and the payment approval threshold (default £5,000)', () => {
    const key = Buffer.alloc(32, 7);
    expect(loadConfig({ DATA_KEY: key.toString('hex') }).dataKey).toEqual(key);
    expect(loadConfig({ DATA_KEY: key.toString('base64') }).dataKey).toEqual(key);
    expect(loadConfig({}).dataKey).toBeNull();
    expect(loadConfig({}).paymentApprovalThresholdPence).toBe(500000);
    expect(loadConfig({ PAYMENT_APPROVAL_THRESHOLD_PENCE: '0' }).paymentApprovalThresholdPence).toBe(0);
  });

  it('accepts production with a long secret, and WORKERS=off', () => {
    const c = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), WORKERS: 'off', PUBLIC_URL: 'https://grants.example.org/' });
    expect(c).toMatchObject({ nodeEnv: 'production', workers: false, publicUrl: 'https://grants.example.org' });
  });

  it('fills in the database user only when the URL has none', () => {
    expect(withDatabaseUser('postgres://a:b@h:5432/d', { USER: 'z' })).toBe('postgres://a:b@h:5432/d');
    expect(withDatabaseUser('postgres://h:5432/d', { PGUSER: 'p', USER: 'z' })).toBe('postgres://p@h:5432/d');
  });

  it('reads TRUST_PROXY: loopback by default in production, off otherwise, hops or a list of ranges', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) }).trustProxy).toEqual(['loopback']);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), TRUST_PROXY: 'off' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.0.2.1,::1,uniquelocal' }).trustProxy).toEqual(['10.0.0.0/8', '192.0.2.1', '::1', 'uniquelocal']);
  });
});
