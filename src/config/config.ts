import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { userInfo } from 'node:os';

/** Settings read from the environment once at boot; see ../shared/API.md for the names. */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  databaseUrl: string;
  redisUrl: string;
  /** Prefix for BullMQ keys, so several test runs can share one Redis. */
  queuePrefix: string;
  smtpUrl: string | null;
  mailFrom: string;
  sessionSecret: string;
  publicUrl: string;
  workers: boolean;
  demoPassword: string;
  /** The funder's 360Giving prefix for identifiers of unregistered groups, e.g. "360G-wypcc". */
  orgIdPrefix: string;
  /** Where uploaded files are kept (outside the web root). */
  storageDir: string;
  logLevel: string;
  /** Session idle and absolute timeouts, in seconds. */
  sessionIdleSeconds: number;
  sessionAbsoluteSeconds: number;
  /**
   * Which proxies' X-Forwarded-For is believed (Fastify's trustProxy): false (none), a number of
   * hops, or a list of addresses, CIDR ranges or the names loopback, linklocal, uniquelocal.
   */
  trustProxy: boolean | number | string[];
  /** How long a worker's claim on an email (a lease) lasts before another worker may take it over. */
  mailLeaseSeconds: number;
  /** The longest a Redis call on a request path may take before it is abandoned, in milliseconds. */
  redisRequestTimeoutMs: number;
  /**
   * When set, the reminder of a request for more information runs this many milliseconds after the
   * request instead of when its respond-by date has passed (tests, demonstrations). Null in use.
   */
  screeningReminderDelayMs: number | null;
  /** How many days an organisation has to accept an offer of a grant (OFFER_ACCEPT_DAYS); the deadline is the end of that day, London time. */
  offerAcceptDays: number;
  /** Days before an assessment's due date that its assessor is reminded (0: on the day). */
  assessmentReminderDaysBefore: number;
  /** Days after an assessment's due date that the overdue notice goes, escalated to grants officers (0: the due date itself). */
  assessmentOverdueAfterDays: number;
  /**
   * The key that seals personal financial data at rest (bank details), AES-256-GCM: DATA_KEY, 32
   * bytes as base64 or hex. Required in production (start-up refuses without it); null elsewhere
   * means a fixed development key, with a warning.
   */
  dataKey: Buffer | null;
  /** Payments above this many pence need a second finance officer's approval (a fund may set its own). */
  paymentApprovalThresholdPence: number;
  /** Days before a monitoring return's due date that the organisation's owners are reminded (RETURN_REMINDER_DAYS_BEFORE; 0: on the day). */
  returnReminderDaysBefore: number;
  /** Days after a monitoring return's due date that the overdue notice goes, to grants officers too (RETURN_OVERDUE_AFTER_DAYS; 0: the due date itself). */
  returnOverdueAfterDays: number;
  /** The hour of the night (London time, 0–23) the finance reconciliation runs for every fund (RECONCILIATION_HOUR). */
  reconciliationHour: number;
  /** The 360Giving open data settings (OPEN_DATA_ORG_ID, OPEN_DATA_ORG_NAME, OPEN_DATA_PREFIX); orgId null in production when unset (the files answer 503). */
  openData: OpenDataConfig;
}

export interface OpenDataConfig {
  /** The funder's org-id (org-id.guide), e.g. GB-GOR-PC000123; a demo value outside production, null in production when unset. */
  orgId: string | null;
  /** The funder's name as published (fundingOrganization and publisher). */
  orgName: string;
  /** The 360Giving identifier prefix of every grant, e.g. 360G-pcc-wy. */
  prefix: string;
}

export class ConfigError extends Error {}

const NODE_ENVS = ['development', 'production', 'test'] as const;

function intSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function urlSetting(env: NodeJS.ProcessEnv, name: string, fallback: string | null, protocols: string[]): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a valid URL: "${raw}"`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(`${name} must start with ${protocols.map((p) => p + '//').join(' or ')}, got "${url.protocol}//"`);
  }
  return raw;
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** TRUST_PROXY: unset means loopback in production (a proxy on the same machine) and none otherwise. */
function trustProxySetting(env: NodeJS.ProcessEnv, production: boolean): AppConfig['trustProxy'] {
  const raw = (env.TRUST_PROXY ?? '').trim();
  if (raw === '') return production ? ['loopback'] : false;
  if (raw === 'off' || raw === 'false') return false;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops < 1 || hops > 10) throw new ConfigError(`TRUST_PROXY as a number of proxies must be between 1 and 10, got ${hops}`);
    return hops;
  }
  const entries = raw.split(',').map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const version = isIP(address);
    const bitsOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (version === 6 ? 128 : 32));
    if (!PROXY_NAMES.has(entry) && (!version || !bitsOk || extra !== undefined)) {
      throw new ConfigError(
        `TRUST_PROXY must be off, a number of proxies, or addresses / CIDR ranges (or loopback, linklocal, uniquelocal) separated by commas, got "${entry}"`,
      );
    }
  }
  return entries;
}

function orgIdPrefixSetting(env: NodeJS.ProcessEnv): string {
  const value = env.ORG_ID_PREFIX || '360G-scf';
  if (!/^360G-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/.test(value) || value.length > 40) {
    throw new ConfigError(`ORG_ID_PREFIX must be a 360Giving prefix like "360G-wypcc", got "${value}"`);
  }
  return value;
}

/** DATA_KEY: 32 bytes, written as 64 hex digits or as base64. */
function dataKeySetting(env: NodeJS.ProcessEnv): Buffer | null {
  const raw = (env.DATA_KEY ?? '').trim();
  if (raw === '') return null;
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : /^[A-Za-z0-9+/]{43}=?$/.test(raw) ? Buffer.from(raw, 'base64') : null;
  if (!key || key.length !== 32) throw new ConfigError('DATA_KEY must be 32 bytes written as 64 hex digits or as base64 (e.g. the output of "openssl rand -base64 32")');
  return key;
}

/**
 * node-postgres needs a user name; a URL without one means "the user I run as", as psql does.
 * (Some environments leave USER unset, so ask the operating system.)
 */
export function withDatabaseUser(databaseUrl: string, env: NodeJS.ProcessEnv = process.env): string {
  const url = new URL(databaseUrl);
  if (!url.username) url.username = env.PGUSER || env.USER || userInfo().username;
  return url.toString();
}

/** Reads and validates settings; throws ConfigError with one clear sentence on the first bad one. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const nodeEnv = (env.NODE_ENV || 'development') as AppConfig['nodeEnv'];
  if (!NODE_ENVS.includes(nodeEnv)) throw new ConfigError(`NODE_ENV must be one of ${NODE_ENVS.join(', ')}, got "${env.NODE_ENV}"`);
  const production = nodeEnv === 'production';
  const port = intSetting(env, 'PORT', 3000, 0, 65535);
  const sessionSecret = env.SESSION_SECRET || '';
  if (production && sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET must be set to at least 32 characters when NODE_ENV=production');
  }
  if (sessionSecret && sessionSecret.length < 32) throw new ConfigError('SESSION_SECRET must be at least 32 characters long');
  const workersRaw = (env.WORKERS || 'on').toLowerCase();
  if (!['on', 'off'].includes(workersRaw)) throw new ConfigError(`WORKERS must be "on" or "off", got "${env.WORKERS}"`);
  return {
    nodeEnv,
    port,
    databaseUrl: withDatabaseUser(urlSetting(env, 'DATABASE_URL', 'postgres://localhost:5432/scf', ['postgres:', 'postgresql:'])!, env),
    redisUrl: urlSetting(env, 'REDIS_URL', 'redis://localhost:6379', ['redis:', 'rediss:'])!,
    queuePrefix: env.QUEUE_PREFIX || 'scf',
    smtpUrl: urlSetting(env, 'SMTP_URL', null, ['smtp:', 'smtps:']),
    mailFrom: env.MAIL_FROM || 'Safer Communities Fund <grants@localhost>',
    sessionSecret: sessionSecret || randomBytes(32).toString('hex'),
    publicUrl: (urlSetting(env, 'PUBLIC_URL', null, ['http:', 'https:']) ?? `http://localhost:${port}`).replace(/\/$/, ''),
    workers: workersRaw === 'on',
    demoPassword: env.DEMO_PASSWORD || 'safer-communities-demo',
    orgIdPrefix: orgIdPrefixSetting(env),
    storageDir: env.STORAGE_DIR || 'var/uploads',
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'warn' : 'info'),
    sessionIdleSeconds: intSetting(env, 'SESSION_IDLE_MINUTES', 30, 1, 24 * 60) * 60,
    sessionAbsoluteSeconds: intSetting(env, 'SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 7) * 3600,
    trustProxy: trustProxySetting(env, production),
    mailLeaseSeconds: intSetting(env, 'MAIL_LEASE_SECONDS', 300, 1, 24 * 3600),
    redisRequestTimeoutMs: intSetting(env, 'REDIS_REQUEST_TIMEOUT_MS', 500, 50, 10000),
    offerAcceptDays: intSetting(env, 'OFFER_ACCEPT_DAYS', 28, 1, 365),
    screeningReminderDelayMs: env.SCREENING_REMINDER_DELAY_MS ? intSetting(env, 'SCREENING_REMINDER_DELAY_MS', 0, 0, 86_400_000) : null,
    assessmentReminderDaysBefore: intSetting(env, 'ASSESSMENT_REMINDER_DAYS_BEFORE', 2, 0, 60),
    assessmentOverdueAfterDays: intSetting(env, 'ASSESSMENT_OVERDUE_AFTER_DAYS', 1, 0, 60),
    dataKey: dataKeySetting(env),
    paymentApprovalThresholdPence: intSetting(env, 'PAYMENT_APPROVAL_THRESHOLD_PENCE', 500000, 0, 100_000_000_000),
    returnReminderDaysBefore: intSetting(env, 'RETURN_REMINDER_DAYS_BEFORE', 14, 0, 90),
    returnOverdueAfterDays: intSetting(env, 'RETURN_OVERDUE_AFTER_DAYS', 7, 0, 90),
    reconciliationHour: intSetting(env, 'RECONCILIATION_HOUR', 2, 0, 23),
    openData: openDataSetting(env, production),
  };
}

/** OPEN_DATA_*: the org-id must look like one (XX-XXX-...); the prefix must start 360G-. */
function openDataSetting(env: NodeJS.ProcessEnv, production: boolean): OpenDataConfig {
  const orgId = env.OPEN_DATA_ORG_ID?.trim() || (production ? null : 'XE-EXAMPLE-DEMO-PCC');
  if (orgId !== null && !/^[A-Z]{2}-[A-Z0-9]+-\S+$/.test(orgId)) throw new ConfigError(`OPEN_DATA_ORG_ID must be an org-id like GB-GOR-PC000123, got "${orgId}"`);
  const prefix = env.OPEN_DATA_PREFIX?.trim() || '360G-pcc-demo';
  if (!/^360G-[A-Za-z0-9-]+$/.test(prefix)) throw new ConfigError(`OPEN_DATA_PREFIX must be a 360Giving prefix like 360G-pcc-wy, got "${prefix}"`);
  const orgName = env.OPEN_DATA_ORG_NAME?.trim() || 'Police and Crime Commissioner for West Yorkshire';
  return { orgId, orgName, prefix };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
