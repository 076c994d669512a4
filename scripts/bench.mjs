// `npm run bench`: measures the service against PostgreSQL's own ceiling on this machine and prints JSON.
// It builds if needed, uses a scratch database (scf_bench, recreated), the demo data, and loopback only.
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import pg from 'pg';
import { needsBuild } from './build-state.mjs';

// Build output goes to stderr, so standard output is only the JSON result.
if (needsBuild()) execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: ['ignore', 2, 2] });
process.env.LOG_LEVEL ??= 'error';

const { loadConfig, withDatabaseUser } = await import('../dist/src/config/config.js');
const { ensureDatabase, dropDatabase } = await import('../dist/src/database/ensure-database.js');
const { runMigrations } = await import('../dist/src/database/migrate.js');
const { seedDemoIfEmpty } = await import('../dist/src/demo/seed.js');
const { createApp, shutdown } = await import('../dist/src/bootstrap.js');

const seconds = Number(process.env.BENCH_SECONDS || 5);
const connections = Number(process.env.BENCH_CONNECTIONS || 32);
const databaseUrl = withDatabaseUser(process.env.BENCH_DATABASE_URL || 'postgres://127.0.0.1:5432/scf_bench');
const config = loadConfig({ ...process.env, NODE_ENV: 'development', DATABASE_URL: databaseUrl, QUEUE_PREFIX: 'scf_bench', PORT: '0', SMTP_URL: '' });

await dropDatabase(databaseUrl);
await ensureDatabase(databaseUrl);
await runMigrations(databaseUrl);
await seedDemoIfEmpty(config);

/** PostgreSQL's ceiling here: single-row INSERT commits from `clients` connections for `seconds`. */
async function postgresInsertCeiling(clients = 8) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: clients });
  await pool.query('CREATE TABLE IF NOT EXISTS bench_ceiling (id bigserial PRIMARY KEY, v int NOT NULL)');
  let done = 0;
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < until) {
        await pool.query('INSERT INTO bench_ceiling (v) VALUES ($1)', [done]);
        done++;
      }
    }),
  );
  await pool.query('DROP TABLE bench_ceiling');
  await pool.end();
  return Math.round(done / seconds);
}

function run(url, options = {}) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration: seconds, ...options }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

const ceiling = await postgresInsertCeiling();
const app = await createApp(config, { workers: true });
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;

const tokenResponse = await fetch(base + '/api/v1/auth/token', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'applicant@demo.test', password: config.demoPassword }),
});
const token = tokenResponse.ok ? (await tokenResponse.json()).token : null;

const scenarios = [
  { name: 'GET /health/live (framework, no database)', path: '/health/live' },
  { name: 'GET /api/v1/rounds?status=open (public list, database read)', path: '/api/v1/rounds?status=open' },
  { name: 'GET /api/v1/me (bearer token check + database read)', path: '/api/v1/me', headers: token ? { authorization: `Bearer ${token}` } : undefined, skip: !token },
  { name: 'GET /api/v1/organisations (applicant, scoped list)', path: '/api/v1/organisations', headers: token ? { authorization: `Bearer ${token}` } : undefined, skip: !token },
];

const results = [];
for (const s of scenarios) {
  if (s.skip) {
    results.push({ name: s.name, skipped: 'no API token (POST /api/v1/auth/token unavailable)' });
    continue;
  }
  const r = await run(base + s.path, { headers: s.headers });
  results.push({
    name: s.name,
    requestsPerSecond: Math.round(r.requests.average),
    latencyMs: { p50: r.latency.p50, p99: r.latency.p99 },
    non2xx: r.non2xx,
    errors: r.errors,
    ratioToPostgresInsertCeiling: Number((r.requests.average / ceiling).toFixed(2)),
  });
}

await shutdown(app);
await dropDatabase(databaseUrl);
console.log(
  JSON.stringify(
    {
      machine: { cpus: cpus().length, node: process.version },
      settings: { seconds, connections },
      postgresSingleRowInsertsPerSecond: ceiling,
      scenarios: results,
    },
    null,
    2,
  ),
);
process.exit(0);
