#!/usr/bin/env node
/**
 * A module's tables are its own (../shared/DESIGN.md): no module's SQL names another module's
 * table. dependency-cruiser sees imports, not SQL strings, so this checks the SQL: a table belongs
 * to the folder whose entity declares it (@Entity('name')), and every FROM / JOIN / INTO / UPDATE /
 * DELETE FROM / .from('name') naming a table of another folder is reported.
 *
 * Exempt by design: database/ (the entity registry and migration runner) and reporting/ (the one
 * read-only module that may join across others' tables, when it exists). Run by `npm run deps`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const src = join(root, 'src');
const EXEMPT_MODULES = new Set(['database', 'reporting']);

const files = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });

const moduleOf = (path) => relative(src, path).split('/')[0];
const all = files(src);

const owner = new Map();
for (const path of all.filter((p) => p.endsWith('.entity.ts'))) {
  for (const [, table] of readFileSync(path, 'utf8').matchAll(/@Entity\(\s*'([a-z_]+)'/g)) owner.set(table, moduleOf(path));
}

const SQL_TABLE = /\b(?:FROM|JOIN|INTO|UPDATE|DELETE FROM|TABLE)\s+"?([a-z_]+)"?|\.(?:from|into|update)\(\s*'([a-z_]+)'/g;
const found = [];
for (const path of all) {
  const module = moduleOf(path);
  if (EXEMPT_MODULES.has(module) || !path.slice(src.length + 1).includes('/')) continue;
  const text = readFileSync(path, 'utf8');
  for (const match of text.matchAll(SQL_TABLE)) {
    const table = match[1] ?? match[2];
    const tableOwner = owner.get(table);
    if (!tableOwner || tableOwner === module) continue;
    const line = text.slice(0, match.index).split('\n').length;
    found.push({ key: `${relative(root, path)} -> ${table}`, where: `${relative(root, path)}:${line}`, table, tableOwner });
  }
}

for (const f of found) console.error(`  error table-ownership: ${f.where} names "${f.table}", a table of ${f.tableOwner}/: call its service or reader`);
if (found.length) {
  console.error(`\nx ${found.length} SQL references to other modules' tables.`);
  process.exit(1);
}
console.log(`✔ no module's SQL names another module's table (${owner.size} tables).`);
