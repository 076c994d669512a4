// Usage: npm run migration:generate -- AddRounds
// Builds, applies existing migrations to a scratch database, and writes a migration holding the
// SQL that takes that schema to what the entities describe. Review it before committing.
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const name = process.argv[2];
if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
  console.error('Give the migration a PascalCase name: npm run migration:generate -- AddRounds');
  process.exit(2);
}
execSync('npx tsc -p tsconfig.build.json', { stdio: 'inherit' });
const { createDataSource } = await import('../dist/src/database/data-source.js');
const { ensureDatabase, dropDatabase } = await import('../dist/src/database/ensure-database.js');
const { withDatabaseUser } = await import('../dist/src/config/config.js');
const url = withDatabaseUser(`postgres://localhost:5432/scf_migration_gen_${process.pid}`);
await ensureDatabase(url);
const ds = createDataSource(url);
try {
  await ds.initialize();
  await ds.runMigrations();
  const sql = await ds.driver.createSchemaBuilder().log();
  if (sql.upQueries.length === 0) {
    console.log('The entities match the migrations: nothing to generate.');
    process.exit(0);
  }
  const stamp = Date.now();
  const className = `${name}${stamp}`;
  const q = (s) => '`' + s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
  const up = sql.upQueries.map((x) => `    await queryRunner.query(${q(x.query)});`).join('\n');
  const down = sql.downQueries.reverse().map((x) => `    await queryRunner.query(${q(x.query)});`).join('\n');
  const file = `migrations/${stamp}-${name}.ts`;
  writeFileSync(
    file,
    `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${className} implements MigrationInterface {\n  name = '${className}';\n\n  public async up(queryRunner: QueryRunner): Promise<void> {\n${up}\n  }\n\n  public async down(queryRunner: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`,
  );
  const index = readFileSync('migrations/index.ts', 'utf8');
  const importLine = `import { ${className} } from './${stamp}-${name}.js';\n`;
  const updated = (importLine + index).replace(/export const MIGRATIONS = \[([\s\S]*?)\];/, (_m, list) => {
    const items = list.split(',').map((s) => s.trim()).filter(Boolean);
    items.push(className);
    return `export const MIGRATIONS = [\n${items.map((i) => `  ${i},`).join('\n')}\n];`;
  });
  writeFileSync('migrations/index.ts', updated);
  console.log(`Wrote ${file} (${sql.upQueries.length} statements) and added it to migrations/index.ts`);
} finally {
  await ds.destroy().catch(() => {});
  await dropDatabase(url);
}
