import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { createMigratedDatabase, TEST_SERVER_URL } from '../support/test-app.js';
import { databaseExists, databaseUrlFor, dropStaleTestDatabases, migrationsHash, ownerPid, templateName, withAdmin } from '../support/test-databases.mjs';

/**
 * The test databases: each file gets a copy of one migrated template, and a run's start drops
 * what killed runs left (issue 13: "test databases left by killed test runs are never cleaned up").
 */
const server = TEST_SERVER_URL();
/** The id of a process that has exited: nobody owns a database named after it. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;
const exists = (name: string) => withAdmin(server, (client) => databaseExists(client, name));
const create = (name: string) => withAdmin(server, (client) => client.query(`CREATE DATABASE "${name}"`));
const drop = (name: string) => withAdmin(server, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));

describe('test databases', () => {
  it('are copies of the template the real migrations built', async () => {
    const url = await createMigratedDatabase('copy');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM migrations`);
      expect(rows[0].n).toBeGreaterThan(0);
    } finally {
      await client.end();
      await drop(new URL(url).pathname.slice(1));
    }
    expect(await exists(templateName(migrationsHash()))).toBe(true);
  });

  it('name their owner process', () => {
    expect(ownerPid('scf_test_1234_ab12cd34')).toBe(1234);
    expect(ownerPid('scf_test_demo_1234_ab12cd34')).toBe(1234);
    expect(ownerPid('scf_test_demo_1234')).toBe(1234);
    expect(ownerPid('scf_test_unnamed')).toBeNull();
  });

  it('left by a killed run are dropped at the next start; a live run’s, one in use and the current template are kept', async () => {
    const orphan = `scf_test_${deadPid()}_0rphan00`.toLowerCase();
    const oldTemplate = 'scf_template_0000000000000000';
    const mine = `scf_test_${process.pid}_a11ve000`;
    const inUse = `scf_test_${deadPid()}_1nuse000`;
    for (const name of [orphan, oldTemplate, mine, inUse]) await create(name);
    const holder = new pg.Client({ connectionString: databaseUrlFor(server, inUse) });
    await holder.connect();
    try {
      const dropped = await dropStaleTestDatabases(server);
      expect(dropped).toEqual(expect.arrayContaining([orphan, oldTemplate]));
      expect(dropped).not.toContain(mine);
      expect(dropped).not.toContain(inUse);
      expect(await exists(orphan)).toBe(false);
      expect(await exists(oldTemplate)).toBe(false);
      expect(await exists(mine)).toBe(true);
      expect(await exists(inUse)).toBe(true);
      expect(await exists(templateName(migrationsHash()))).toBe(true);
    } finally {
      await holder.end();
      for (const name of [orphan, oldTemplate, mine, inUse]) await drop(name);
    }
  });
});
