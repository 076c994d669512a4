import { Writable } from 'node:stream';
import { pino } from 'pino';
import { PinoNestLogger } from '../../src/common/logger.js';
import { loadConfig, withDatabaseUser } from '../../src/config/config.js';
import { dropDatabase } from '../../src/database/ensure-database.js';
import { seedDemoIfEmpty } from '../../src/demo/seed.js';
import { prepareToStart, readyLine } from '../../src/start-steps.js';

const url = withDatabaseUser(`postgres://127.0.0.1:5432/scf_test_start_${process.pid}`);
const config = loadConfig({ DATABASE_URL: url, SESSION_SECRET: 'x'.repeat(40), PUBLIC_URL: 'http://localhost:3000' });

afterAll(async () => {
  await dropDatabase(url);
});

describe('starting the service says what it does, one plain line per step', () => {
  it('creates the database, migrates and loads the demo data the first time, and says so', async () => {
    await dropDatabase(url);
    const first: string[] = [];
    await prepareToStart(config, 'web', (line) => first.push(line), { seed: seedDemoIfEmpty });
    expect(first).toEqual([
      'PostgreSQL and Redis are answering',
      `created the database "scf_test_start_${process.pid}"`,
      expect.stringMatching(/^applied \d+ migrations$/),
      'loading the demo data (first start only)…',
      'loaded the demo data: users, organisations, the fund, past rounds and an open round',
    ]);
    const again: string[] = [];
    await prepareToStart(config, 'web', (line) => again.push(line), { seed: seedDemoIfEmpty });
    expect(again).toEqual([
      'PostgreSQL and Redis are answering',
      `using the database "scf_test_start_${process.pid}"`,
      'the database is up to date (no migrations to apply)',
      'loading the demo data (first start only)…',
      'the demo data is already there',
    ]);
    const withoutSeed: string[] = [];
    await prepareToStart(config, 'web', (line) => withoutSeed.push(line));
    expect(withoutSeed).toEqual([
      'PostgreSQL and Redis are answering',
      `using the database "scf_test_start_${process.pid}"`,
      'the database is up to date (no migrations to apply)',
    ]);
    expect(readyLine(config)).toMatch(/^ready: open http:\/\/localhost:3000 in your browser/);
  }, 60000);

  it('keeps the framework’s line per route out of the log a person reads at the default level', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const logger = new PinoNestLogger(pino({ level: 'info' }, sink));
    logger.log('Mapped {/dashboard, GET} route', 'RouterExplorer');
    logger.log('AccountsPages {/}:', 'RoutesResolver');
    logger.log('AppModule dependencies initialized', 'InstanceLoader');
    logger.log('purged', 'PurgeJob');
    logger.warn('slow', 'RouterExplorer');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['purged', 'slow']);
  });
});
