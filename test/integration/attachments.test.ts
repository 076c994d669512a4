import fastifyCookie from '@fastify/cookie';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  compoundFile,
  elfExecutable,
  minimalDocx,
  minimalJpeg,
  minimalPdf,
  minimalXlsx,
  onePixelPng,
  plainZip,
  windowsExecutable,
} from '../fixtures/files.js';
import { createOrganisation, createUser, tokenFor, type TestUser } from '../support/factories.js';
import { apiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Attachments over real HTTP multipart (Node's FormData and Blob), a real database and real
 * files on disk. The storage directory sits three levels down a scratch folder, so a file name
 * like "../../etc/passwd" would land inside the scratch folder, where the test can see it.
 */
let t: TestApp;
let api: ReturnType<typeof apiClient>;
let scratch: string;
let storageDir: string;

let alice: TestUser; // owner of organisation A
let carol: TestUser; // colleague in organisation A
let bob: TestUser; // owner of organisation B
let officer: TestUser;
let auditor: TestUser;
const tokens: Record<string, string> = {};
let orgA: { id: string };
let orgB: { id: string };
let appA: string; // organisation A's draft
let appB: string; // organisation B's draft
let roundId: string;
let potId: string;
let formId: string;

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function createApplication(organisationId: string, createdBy: string, status = 'draft'): Promise<string> {
  const [row] = await t.db.query(
    `INSERT INTO applications (round_id, pot_id, organisation_id, form_id, created_by, status, project_title)
     VALUES ($1, $2, $3, $4, $5, $6, 'Safer streets project') RETURNING id`,
    [roundId, potId, organisationId, formId, createdBy, status],
  );
  return row.id;
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'scf-attachments-'));
  storageDir = join(scratch, 'srv', 'app', 'storage');
  t = await startTestApp({ workers: false, env: { STORAGE_DIR: storageDir } });
  api = apiClient(t.url);

  alice = await createUser(t.db, { fullName: 'Alice Applicant' });
  carol = await createUser(t.db, { fullName: 'Carol Colleague' });
  bob = await createUser(t.db, { fullName: 'Bob Other' });
  officer = await createUser(t.db, { roles: ['grants_officer'], fullName: 'Olu Officer' });
  auditor = await createUser(t.db, { roles: ['auditor'] });
  orgA = await createOrganisation(t.db, alice);
  await t.db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'member')`, [orgA.id, carol.id]);
  orgB = await createOrganisation(t.db, bob);
  for (const [name, user] of Object.entries({ alice, carol, bob, officer, auditor })) tokens[name] = await tokenFor(t, user);

  const [fund] = await t.db.query(
    `INSERT INTO funds (name, funder_name, funding_source, reference_prefix) VALUES ('Safer Communities Fund', 'Test Commissioner', 'Proceeds of Crime Act', 'SCF') RETURNING id`,
  );
  const [round] = await t.db.query(
    `INSERT INTO rounds (fund_id, code, title, opens_at, closes_at, total_budget_pence, status)
     VALUES ($1, 'R99', 'Test round', now() - interval '1 day', now() + interval '30 days', 10000000, 'open') RETURNING id`,
    [fund.id],
  );
  roundId = round.id;
  const [form] = await t.db.query(`INSERT INTO round_forms (round_id, version, definition, frozen_at) VALUES ($1, 1, '{"sections": []}', now()) RETURNING id`, [roundId]);
  formId = form.id;
  const [pot] = await t.db.query(
    `INSERT INTO pots (round_id, name, min_grant_pence, max_grant_pence, budget_pence) VALUES ($1, 'Main pot', 100000, 500000, 5000000) RETURNING id`,
    [roundId],
  );
  potId = pot.id;
  appA = await createApplication(orgA.id, alice.id);
  appB = await createApplication(orgB.id, bob.id);
});

afterAll(async () => {
  await t?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

// ---------------------------------------------------------------- helpers

interface FilePart {
  data: Buffer;
  name: string;
  type?: string;
}

function form(parts: { first?: [string, string]; kind?: string; file?: FilePart; fields?: [string, string][]; files?: FilePart[] }): FormData {
  const body = new FormData();
  if (parts.first) body.append(...parts.first);
  if (parts.kind !== undefined) body.append('kind', parts.kind);
  for (const [name, value] of parts.fields ?? []) body.append(name, value);
  for (const file of parts.file ? [parts.file, ...(parts.files ?? [])] : (parts.files ?? [])) {
    body.append('file', new Blob([new Uint8Array(file.data)], { type: file.type ?? 'application/octet-stream' }), file.name);
  }
  return body;
}

async function upload(applicationId: string, token: string | undefined, parts: Parameters<typeof form>[0]) {
  const response = await fetch(`${t.url}/api/v1/applications/${applicationId}/attachments`, {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body: form(parts),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

/** A multipart body written by hand, for file names FormData would escape. */
async function uploadRaw(applicationId: string, token: string, fileName: string, data: Buffer, kind = 'other') {
  const boundary = `----scf${randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n${kind}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="`),
    Buffer.from(fileName, 'utf8'),
    Buffer.from(`"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const response = await fetch(`${t.url}/api/v1/applications/${applicationId}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Every file under the scratch folder (storage included), as paths relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(scratch, join(entry.parentPath, entry.name)))
    .sort();
}

async function state() {
  const [{ rows }] = await t.db.query(`SELECT count(*)::int AS rows FROM attachments`);
  const [{ audits }] = await t.db.query(`SELECT count(*)::int AS audits FROM audit_events WHERE action LIKE 'attachment.%'`);
  return { rows, audits, files: filesUnder(scratch) };
}

async function expectRefused(
  attempt: () => Promise<{ status: number; body: any }>,
  status: number,
  code: string,
): Promise<void> {
  const before = await state();
  const response = await attempt();
  expect({ status: response.status, code: response.body?.code }).toEqual({ status, code });
  expect(response.body.detail).toEqual(expect.any(String));
  // Nothing stored: no row, no audit event, no file anywhere (neither in place nor left in tmp/).
  expect(await state()).toEqual(before);
}

const storedPathOf = (storageKey: string) => join(storageDir, 'attachments', storageKey);

async function rowOf(id: string) {
  const [row] = await t.db.query(`SELECT * FROM attachments WHERE id = $1`, [id]);
  return row;
}

// ---------------------------------------------------------------- uploads that are accepted

describe('accepted files, judged by content', () => {
  const cases: { what: string; data: Buffer; name: string; kind: string; contentType: string }[] = [
    { what: 'a PDF', data: minimalPdf(), name: 'Constitution.pdf', kind: 'constitution', contentType: 'application/pdf' },
    { what: 'a PNG', data: onePixelPng(), name: 'bank statement.png', kind: 'bank_statement', contentType: 'image/png' },
    { what: 'a JPEG', data: minimalJpeg(), name: 'photo.jpeg', kind: 'other', contentType: 'image/jpeg' },
    {
      what: 'a Word .docx',
      data: minimalDocx(),
      name: 'Safeguarding policy.docx',
      kind: 'safeguarding_policy',
      contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    },
    {
      what: 'an Excel .xlsx',
      data: minimalXlsx(),
      name: 'Accounts 2017-18.xlsx',
      kind: 'accounts',
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    },
    { what: 'a legacy Word .doc (compound file)', data: compoundFile(), name: 'Old policy.doc', kind: 'other', contentType: 'application/msword' },
    { what: 'a legacy Excel .xls (compound file)', data: compoundFile(), name: 'Old accounts.XLS', kind: 'accounts', contentType: 'application/vnd.ms-excel' },
    // Content decides, not the extension: a PNG named .pdf is stored and served as a PNG.
    { what: 'a PNG named .pdf', data: onePixelPng(), name: 'scan.pdf', kind: 'other', contentType: 'image/png' },
  ];

  it.each(cases)('stores $what with its detected type, size and SHA-256, audited, under a generated name', async ({ data, name, kind, contentType }) => {
    const response = await upload(appA, tokens.alice, { kind, file: { data, name, type: 'application/x-anything' } });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      applicationId: appA,
      kind,
      fileName: name,
      contentType,
      sizeBytes: data.length,
      sha256: sha256(data),
      uploadedBy: { id: alice.id, fullName: 'Alice Applicant' },
      contentUrl: `/api/v1/applications/${appA}/attachments/${response.body.id}/content`,
    });
    const row = await rowOf(response.body.id);
    expect(row.storage_key).toMatch(/^[0-9a-f-]{36}$/);
    expect(row.storage_key).not.toContain(name);
    expect(readFileSync(storedPathOf(row.storage_key)).equals(data)).toBe(true);
    const [audit] = await t.db.query(`SELECT * FROM audit_events WHERE action = 'attachment.uploaded' AND entity_id = $1`, [response.body.id]);
    expect(audit).toMatchObject({ entity_type: 'attachment', actor_user_id: alice.id });
    expect(audit.after).toEqual({ applicationId: appA, fileName: name, kind, contentType, sizeBytes: data.length, sha256: sha256(data) });
    // The temporary area is left empty.
    expect(readdirSync(join(storageDir, 'tmp'))).toEqual([]);
  });

  it('accepts the fields in either order', async () => {
    const body = new FormData();
    body.append('file', new Blob([new Uint8Array(minimalPdf())]), 'file-first.pdf');
    body.append('kind', 'other');
    const response = await fetch(`${t.url}/api/v1/applications/${appA}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${tokens.alice}` }, body });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ fileName: 'file-first.pdf', kind: 'other' });
  });

  it('records a safe display name: folders, control characters and leading dots removed', async () => {
    const windows = await uploadRaw(appA, tokens.alice, 'C:\\fakepath\\..accounts\u0007\u001b.pdf', minimalPdf());
    expect(windows.status).toBe(201);
    expect(windows.body.fileName).toBe('accounts.pdf');
    const bidi = await uploadRaw(appA, tokens.alice, 'invoice\u202Efdp.pdf', minimalPdf());
    expect(bidi.status).toBe(201);
    expect(bidi.body.fileName).toBe('invoicefdp.pdf');
    const long = await uploadRaw(appA, tokens.alice, 'x'.repeat(300) + '.pdf', minimalPdf());
    expect(long.status).toBe(201);
    expect(long.body.fileName).toHaveLength(255);
    expect(long.body.fileName.endsWith('.pdf')).toBe(true);
  });
});

// ---------------------------------------------------------------- uploads that are refused

describe('refused uploads store nothing', () => {
  it('refuses an executable renamed .pdf (Windows MZ) with 415', async () => {
    await expectRefused(() => upload(appA, tokens.alice, { kind: 'constitution', file: { data: windowsExecutable(), name: 'constitution.pdf', type: 'application/pdf' } }), 415, 'ATTACHMENT.TYPE_NOT_ALLOWED');
  });

  it('refuses an ELF executable renamed .pdf with 415', async () => {
    await expectRefused(() => upload(appA, tokens.alice, { kind: 'accounts', file: { data: elfExecutable(), name: 'accounts.pdf', type: 'application/pdf' } }), 415, 'ATTACHMENT.TYPE_NOT_ALLOWED');
  });

  it('refuses text, HTML and SVG dressed as images, a plain ZIP, and a compound file not named .doc/.xls', async () => {
    const attempts: FilePart[] = [
      { data: Buffer.from('just some text\n'), name: 'notes.png' },
      { data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'), name: 'logo.png', type: 'image/png' },
      { data: Buffer.from('<!doctype html><script>alert(1)</script>'), name: 'policy.pdf' },
      { data: plainZip(), name: 'bundle.docx' },
      { data: compoundFile(), name: 'installer.msi' },
      { data: compoundFile(), name: 'policy.pdf' },
    ];
    for (const file of attempts) {
      await expectRefused(() => upload(appA, tokens.alice, { kind: 'other', file }), 415, 'ATTACHMENT.TYPE_NOT_ALLOWED');
    }
  });

  it('refuses an 11 MB file with 413, leaving nothing in storage or tmp/', async () => {
    const big = Buffer.alloc(11 * 1024 * 1024, 0x20);
    minimalPdf().copy(big, 0);
    await expectRefused(() => upload(appA, tokens.alice, { kind: 'accounts', file: { data: big, name: 'huge.pdf', type: 'application/pdf' } }), 413, 'ATTACHMENT.TOO_LARGE');
  });

  it('accepts a file of exactly 10 MB', async () => {
    const limit = Buffer.alloc(10 * 1024 * 1024, 0x20);
    minimalPdf().copy(limit, 0);
    const response = await upload(appA, tokens.alice, { kind: 'accounts', file: { data: limit, name: 'limit.pdf' } });
    expect(response.status).toBe(201);
    expect(response.body.sizeBytes).toBe(limit.length);
    const row = await rowOf(response.body.id);
    await api.delete(`/api/v1/applications/${appA}/attachments/${row.id}`, { token: tokens.alice });
  });

  it('refuses "../../etc/passwd" with 422 and writes nothing outside (or inside) the storage directory', async () => {
    await expectRefused(() => upload(appA, tokens.alice, { kind: 'other', file: { data: minimalPdf(), name: '../../etc/passwd' } }), 422, 'ATTACHMENT.BAD_FILE_NAME');
    await expectRefused(() => uploadRaw(appA, tokens.alice, '..\\..\\etc\\passwd.pdf', minimalPdf()), 422, 'ATTACHMENT.BAD_FILE_NAME');
    // Where the name points, relative to the storage directory, and anywhere else under the scratch folder.
    expect(existsSync(join(storageDir, '..', '..', 'etc', 'passwd'))).toBe(false);
    expect(filesUnder(scratch).every((path) => path.startsWith(join('srv', 'app', 'storage') + '/'))).toBe(true);
  });

  it('refuses a name with nothing usable left with 422', async () => {
    await expectRefused(() => uploadRaw(appA, tokens.alice, '...\u0001', minimalPdf()), 422, 'ATTACHMENT.BAD_FILE_NAME');
  });

  it('refuses a zero-byte file with 422', async () => {
    await expectRefused(() => upload(appA, tokens.alice, { kind: 'constitution', file: { data: Buffer.alloc(0), name: 'empty.pdf' } }), 422, 'ATTACHMENT.EMPTY');
  });

  it('refuses a missing file part with 422, as a browser sends it with no file chosen, or with no part at all', async () => {
    await expectRefused(() => upload(appA, tokens.alice, { kind: 'constitution' }), 422, 'ATTACHMENT.FILE_REQUIRED');
    await expectRefused(() => upload(appA, tokens.alice, { kind: 'constitution', file: { data: Buffer.alloc(0), name: '' } }), 422, 'ATTACHMENT.FILE_REQUIRED');
    await expectRefused(() => upload(appA, tokens.alice, { kind: 'constitution', fields: [['file', 'not a file']] }), 422, 'ATTACHMENT.FILE_REQUIRED');
  });

  it('refuses an unknown or missing kind with 422 and a field error', async () => {
    const file = { data: minimalPdf(), name: 'x.pdf' };
    await expectRefused(() => upload(appA, tokens.alice, { kind: 'passport', file }), 422, 'ATTACHMENT.UNKNOWN_KIND');
    await expectRefused(() => upload(appA, tokens.alice, { file }), 422, 'ATTACHMENT.KIND_REQUIRED');
    const both = await upload(appA, tokens.alice, { kind: '' });
    expect(both.status).toBe(422);
    expect(both.body.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`).sort()).toEqual([
      'file:ATTACHMENT.FILE_REQUIRED',
      'kind:ATTACHMENT.KIND_REQUIRED',
    ]);
  });

  it('refuses unknown fields and a second file', async () => {
    const file = { data: minimalPdf(), name: 'x.pdf' };
    await expectRefused(() => upload(appA, tokens.alice, { kind: 'other', file, fields: [['status', 'approved']] }), 422, 'ATTACHMENT.UNKNOWN_FIELD');
    await expectRefused(() => upload(appA, tokens.alice, { kind: 'other', file, files: [{ data: onePixelPng(), name: 'y.png' }] }), 413, 'ATTACHMENT.TOO_MANY_FILES');
  });

  it('refuses a JSON body with 415 and a broken multipart body with 400', async () => {
    await expectRefused(() => api.post(`/api/v1/applications/${appA}/attachments`, { kind: 'other', file: 'JVBERi0xLjQ=' }, { token: tokens.alice }), 415, 'ATTACHMENT.NOT_MULTIPART');
    await expectRefused(async () => {
      const response = await fetch(`${t.url}/api/v1/applications/${appA}/attachments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.alice}`, 'content-type': 'multipart/form-data; boundary=xyz' },
        body: '--xyz\r\nContent-Disposition: form-data; name="kind"\r\n\r\nother\r\n--xyz\r\nContent-Disposition: form-data; name="file"; filename="cut.pdf"\r\n\r\n%PDF-1.4 and then the connection',
      });
      return { status: response.status, body: await response.json() };
    }, 400, 'REQUEST.MALFORMED_MULTIPART');
  });

  it('refuses the 21st file with 422', async () => {
    const app = await createApplication(orgA.id, alice.id);
    for (let i = 0; i < 20; i++) {
      await t.db.query(
        `INSERT INTO attachments (application_id, kind, file_name, storage_key, content_type, size_bytes, sha256, uploaded_by)
         VALUES ($1, 'other', $2, $3, 'application/pdf', 10, $4, $5)`,
        [app, `file-${i}.pdf`, randomUUID(), 'a'.repeat(64), alice.id],
      );
    }
    await expectRefused(() => upload(app, tokens.alice, { kind: 'other', file: { data: minimalPdf(), name: 'one-too-many.pdf' } }), 422, 'ATTACHMENT.TOO_MANY');
  });

  it('holds the limit when the last places are raced for: of three uploads at 19 files, one wins', async () => {
    const app = await createApplication(orgA.id, alice.id);
    for (let i = 0; i < 19; i++) {
      await t.db.query(
        `INSERT INTO attachments (application_id, kind, file_name, storage_key, content_type, size_bytes, sha256, uploaded_by)
         VALUES ($1, 'other', $2, $3, 'application/pdf', 10, $4, $5)`,
        [app, `file-${i}.pdf`, randomUUID(), 'a'.repeat(64), alice.id],
      );
    }
    const before = await state();
    const results = await Promise.all(
      ['a', 'b', 'c'].map((n) => upload(app, tokens.alice, { kind: 'other', file: { data: minimalPdf(), name: `race-${n}.pdf` } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 422, 422]);
    expect(results.filter((r) => r.status === 422).map((r) => r.body.code)).toEqual(['ATTACHMENT.TOO_MANY', 'ATTACHMENT.TOO_MANY']);
    const after = await state();
    expect(after.rows).toBe(before.rows + 1);
    expect(after.files.length).toBe(before.files.length + 1);
  });

  it('leaves no row and no file when the transaction fails at commit, after the file was moved into place', async () => {
    await t.db.query(`
      CREATE FUNCTION test_refuse_attachment() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.file_name = 'explode.pdf' THEN RAISE EXCEPTION 'refused at commit by the test'; END IF; RETURN NEW; END $$`);
    await t.db.query(`
      CREATE CONSTRAINT TRIGGER test_refuse_attachment AFTER INSERT ON attachments
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_refuse_attachment()`);
    try {
      const before = await state();
      const response = await upload(appA, tokens.alice, { kind: 'other', file: { data: minimalPdf(), name: 'explode.pdf' } });
      expect(response.status).toBe(500);
      expect(response.body.code).toBe('INTERNAL');
      expect(await state()).toEqual(before);
    } finally {
      await t.db.query(`DROP TRIGGER test_refuse_attachment ON attachments`);
      await t.db.query(`DROP FUNCTION test_refuse_attachment()`);
    }
  });
});

// ---------------------------------------------------------------- reading and downloading

describe('listing and downloading', () => {
  let fileId: string;
  const data = minimalPdf();
  const name = 'Accounts 2017–18 "final" £.pdf';

  beforeAll(async () => {
    const response = await upload(appA, tokens.carol, { kind: 'accounts', file: { data, name } });
    expect(response.status).toBe(201);
    fileId = response.body.id;
  });

  it('lists the application’s files with pagination', async () => {
    const page = await api.get(`/api/v1/applications/${appA}/attachments?page=1&pageSize=2`, { token: tokens.alice });
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(2);
    const [{ total }] = await t.db.query(`SELECT count(*)::int AS total FROM attachments WHERE application_id = $1`, [appA]);
    expect(page.body).toMatchObject({ total, page: 1, pageSize: 2 });
    const bad = await api.get(`/api/v1/applications/${appA}/attachments?pageSize=0`, { token: tokens.alice });
    expect(bad.status).toBe(422);
  });

  it('returns one file’s metadata', async () => {
    const response = await api.get(`/api/v1/applications/${appA}/attachments/${fileId}`, { token: tokens.alice });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: fileId, fileName: name, kind: 'accounts', uploadedBy: { id: carol.id, fullName: 'Carol Colleague' } });
  });

  it('downloads the identical bytes with the detected type, an RFC 5987 file name and nosniff', async () => {
    const response = await fetch(`${t.url}/api/v1/applications/${appA}/attachments/${fileId}/content`, { headers: { authorization: `Bearer ${tokens.alice}` } });
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(sha256(bytes)).toBe(sha256(data));
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const disposition = response.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment; /);
    const encoded = /filename\*=UTF-8''([^;]+)$/.exec(disposition)![1];
    expect(decodeURIComponent(encoded)).toBe(name);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
  });

  it('lets staff read and download, but not change', async () => {
    const list = await api.get(`/api/v1/applications/${appA}/attachments`, { token: tokens.officer });
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(fileId);
    for (const token of [tokens.officer, tokens.auditor]) {
      const response = await fetch(`${t.url}/api/v1/applications/${appA}/attachments/${fileId}/content`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      expect(sha256(Buffer.from(await response.arrayBuffer()))).toBe(sha256(data));
    }
    await expectRefused(() => upload(appA, tokens.officer, { kind: 'other', file: { data: minimalPdf(), name: 'staff.pdf' } }), 403, 'ATTACHMENT.MEMBERS_ONLY');
    await expectRefused(() => api.delete(`/api/v1/applications/${appA}/attachments/${fileId}`, { token: tokens.officer }), 403, 'ATTACHMENT.MEMBERS_ONLY');
  });

  it('answers 410 when the file has gone from disk', async () => {
    const response = await upload(appA, tokens.alice, { kind: 'other', file: { data: minimalPdf(), name: 'lost.pdf' } });
    const row = await rowOf(response.body.id);
    rmSync(storedPathOf(row.storage_key));
    const download = await api.get(`/api/v1/applications/${appA}/attachments/${row.id}/content`, { token: tokens.alice });
    expect(download.status).toBe(410);
    expect(download.body.code).toBe('ATTACHMENT.FILE_MISSING');
    expect((await api.delete(`/api/v1/applications/${appA}/attachments/${row.id}`, { token: tokens.alice })).status).toBe(204);
  });
});

// ---------------------------------------------------------------- who may do what

describe('access', () => {
  let fileA: string;
  let storedA: string;

  beforeAll(async () => {
    const response = await upload(appA, tokens.alice, { kind: 'constitution', file: { data: minimalPdf(), name: 'private.pdf' } });
    fileA = response.body.id;
    storedA = storedPathOf((await rowOf(fileA)).storage_key);
  });

  it('gives another organisation’s applicant 404 for list, upload, metadata, download and delete', async () => {
    const base = `/api/v1/applications/${appA}/attachments`;
    for (const response of [
      await api.get(base, { token: tokens.bob }),
      await api.get(`${base}/${fileA}`, { token: tokens.bob }),
      await api.get(`${base}/${fileA}/content`, { token: tokens.bob }),
      await api.delete(`${base}/${fileA}`, { token: tokens.bob }),
    ]) {
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 404, code: 'APPLICATION.NOT_FOUND' });
      expect(response.text).not.toContain('private.pdf');
    }
    await expectRefused(() => upload(appA, tokens.bob, { kind: 'other', file: { data: minimalPdf(), name: 'intruder.pdf' } }), 404, 'APPLICATION.NOT_FOUND');
    expect(await rowOf(fileA)).toBeDefined();
    expect(existsSync(storedA)).toBe(true);
  });

  it('gives staff who do not read bids (assessor, panel member, finance officer, administrator) 404 on every attachment route', async () => {
    const base = `/api/v1/applications/${appA}/attachments`;
    for (const role of ['assessor', 'panel_member', 'finance_officer', 'administrator'] as const) {
      const token = await tokenFor(t, await createUser(t.db, { roles: [role] }));
      for (const response of [
        await api.get(base, { token }),
        await api.get(`${base}/${fileA}`, { token }),
        await api.get(`${base}/${fileA}/content`, { token }),
        await api.delete(`${base}/${fileA}`, { token }),
      ]) {
        expect({ role, status: response.status, code: response.body.code }).toEqual({ role, status: 404, code: 'APPLICATION.NOT_FOUND' });
        expect(response.text).not.toContain('private.pdf');
      }
      await expectRefused(() => upload(appA, token, { kind: 'other', file: { data: minimalPdf(), name: 'staff.pdf' } }), 404, 'APPLICATION.NOT_FOUND');
    }
    expect(existsSync(storedA)).toBe(true);
  });

  it('gives 404 for another application’s attachment id under one’s own application', async () => {
    const base = `/api/v1/applications/${appB}/attachments/${fileA}`;
    for (const response of [await api.get(base, { token: tokens.bob }), await api.get(`${base}/content`, { token: tokens.bob }), await api.delete(base, { token: tokens.bob })]) {
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 404, code: 'ATTACHMENT.NOT_FOUND' });
    }
    expect(existsSync(storedA)).toBe(true);
    const own = await api.get(`/api/v1/applications/${appB}/attachments`, { token: tokens.bob });
    expect(own.status).toBe(200);
    expect(own.body.items.map((i: { id: string }) => i.id)).not.toContain(fileA);
  });

  it('gives 404 for unknown and malformed ids', async () => {
    for (const path of [
      `/api/v1/applications/${randomUUID()}/attachments`,
      `/api/v1/applications/not-a-uuid/attachments`,
      `/api/v1/applications/${appA}/attachments/${randomUUID()}/content`,
      `/api/v1/applications/${appA}/attachments/42`,
    ]) {
      const response = await api.get(path, { token: tokens.alice });
      expect(response.status).toBe(404);
      expect(response.body.code).toMatch(/^(APPLICATION|ATTACHMENT)\.NOT_FOUND$/);
    }
  });

  it('gives anonymous callers 401 on every attachment route', async () => {
    const base = `/api/v1/applications/${appA}/attachments`;
    for (const response of [
      await api.get(base),
      await api.get(`${base}/${fileA}`),
      await api.get(`${base}/${fileA}/content`),
      await api.delete(`${base}/${fileA}`),
      await upload(appA, undefined, { kind: 'other', file: { data: minimalPdf(), name: 'anon.pdf' } }),
    ]) {
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 401, code: 'AUTH.REQUIRED' });
    }
    expect(existsSync(storedA)).toBe(true);
  });

  it('refuses changes with 409 once the application is submitted, also while more information is asked for about other parts', async () => {
    await t.db.query(`UPDATE applications SET status = 'submitted' WHERE id = $1`, [appA]);
    try {
      await expectRefused(() => upload(appA, tokens.alice, { kind: 'other', file: { data: minimalPdf(), name: 'late.pdf' } }), 409, 'ATTACHMENT.NOT_EDITABLE');
      await expectRefused(() => api.delete(`/api/v1/applications/${appA}/attachments/${fileA}`, { token: tokens.alice }), 409, 'ATTACHMENT.NOT_EDITABLE');
      expect(existsSync(storedA)).toBe(true);
      // Still readable.
      expect((await api.get(`/api/v1/applications/${appA}/attachments/${fileA}/content`, { token: tokens.alice })).status).toBe(200);

      // Screening reopens named kinds of file (test/integration/screening-more-info.test.ts); with none named, none may change.
      await t.db.query(`UPDATE applications SET status = 'more_info_requested' WHERE id = $1`, [appA]);
      await expectRefused(() => upload(appA, tokens.alice, { kind: 'safeguarding_policy', file: { data: minimalPdf(), name: 'requested.pdf' } }), 409, 'ATTACHMENT.NOT_REOPENED');
      await expectRefused(() => api.delete(`/api/v1/applications/${appA}/attachments/${fileA}`, { token: tokens.alice }), 409, 'ATTACHMENT.NOT_REOPENED');
      expect(existsSync(storedA)).toBe(true);

      await t.db.query(`UPDATE applications SET status = 'withdrawn' WHERE id = $1`, [appA]);
      await expectRefused(() => upload(appA, tokens.alice, { kind: 'other', file: { data: minimalPdf(), name: 'withdrawn.pdf' } }), 409, 'ATTACHMENT.NOT_EDITABLE');
    } finally {
      await t.db.query(`UPDATE applications SET status = 'draft' WHERE id = $1`, [appA]);
    }
  });

  it('lets a colleague remove a file: row, file and an audit event with what was removed', async () => {
    const data = onePixelPng();
    const uploaded = await upload(appA, tokens.alice, { kind: 'other', file: { data, name: 'to-remove.png' } });
    const path = storedPathOf((await rowOf(uploaded.body.id)).storage_key);
    expect(existsSync(path)).toBe(true);
    const removed = await api.delete(`/api/v1/applications/${appA}/attachments/${uploaded.body.id}`, { token: tokens.carol });
    expect(removed.status).toBe(204);
    expect(await rowOf(uploaded.body.id)).toBeUndefined();
    expect(existsSync(path)).toBe(false);
    const [audit] = await t.db.query(`SELECT * FROM audit_events WHERE action = 'attachment.deleted' AND entity_id = $1`, [uploaded.body.id]);
    expect(audit).toMatchObject({ entity_type: 'attachment', actor_user_id: carol.id });
    expect(audit.before).toEqual({ applicationId: appA, fileName: 'to-remove.png', kind: 'other', contentType: 'image/png', sizeBytes: data.length, sha256: sha256(data) });
    // Removing it again: it is gone.
    const again = await api.delete(`/api/v1/applications/${appA}/attachments/${uploaded.body.id}`, { token: tokens.carol });
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 404, code: 'ATTACHMENT.NOT_FOUND' });
  });

  it('documents the routes in OpenAPI', async () => {
    const doc = await api.get('/api/docs-json');
    const paths = doc.body.paths;
    expect(Object.keys(paths['/api/v1/applications/{id}/attachments']).sort()).toEqual(['get', 'post']);
    expect(paths['/api/v1/applications/{id}/attachments'].post.requestBody.content['multipart/form-data']).toBeDefined();
    expect(Object.keys(paths['/api/v1/applications/{id}/attachments/{attachmentId}']).sort()).toEqual(['delete', 'get']);
    expect(paths['/api/v1/applications/{id}/attachments/{attachmentId}/content'].get).toBeDefined();
    expect(Object.keys(paths).some((p) => p.startsWith('/applications/'))).toBe(false);
  });
});

// ---------------------------------------------------------------- pages

/** A signed-in browser session for `user`, as the sign-in page would create it. */
async function signIn(user: TestUser): Promise<string> {
  const sid = randomBytes(24).toString('base64url');
  const maxAge = t.config.sessionIdleSeconds * 1000;
  const data = {
    cookie: { originalMaxAge: maxAge, expires: new Date(Date.now() + maxAge).toISOString(), httpOnly: true, path: '/', sameSite: 'lax', secure: false },
    userId: user.id,
    signedInAt: Date.now(),
  };
  await t.db.query(`INSERT INTO sessions (sid, user_id, data, expires_at) VALUES ($1, $2, $3, $4)`, [sid, user.id, JSON.stringify(data), new Date(Date.now() + maxAge)]);
  return `scf.sid=${encodeURIComponent(fastifyCookie.sign(sid, t.config.sessionSecret))}`;
}

async function page(path: string, cookie?: string) {
  const response = await fetch(t.url + path, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  return { status: response.status, headers: response.headers, html: await response.text() };
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];

describe('pages', () => {
  let aliceCookie: string;
  let bobCookie: string;
  let officerCookie: string;
  let app: string;

  beforeAll(async () => {
    aliceCookie = await signIn(alice);
    bobCookie = await signIn(bob);
    officerCookie = await signIn(officer);
    app = await createApplication(orgA.id, alice.id);
  });

  async function postUpload(cookie: string, csrf: string | null, parts: Parameters<typeof form>[0]) {
    // As the page's form sends it: the CSRF token is the first field of the multipart body.
    const body = form({ ...parts, first: csrf === null ? undefined : ['_csrf', csrf] });
    const response = await fetch(`${t.url}/applications/${app}/attachments`, { method: 'POST', headers: { cookie }, body, redirect: 'manual' });
    return { status: response.status, headers: response.headers, html: await response.text() };
  }

  it('sends anonymous visitors to sign in', async () => {
    for (const path of [`/applications/${app}/attachments`, `/applications/${app}/attachments/${randomUUID()}`]) {
      const response = await page(path);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/sign-in');
    }
  });

  it('shows a member the upload form: multipart, CSRF token its first field (not in the URL), kinds and a file input', async () => {
    const response = await page(`/applications/${app}/attachments`, aliceCookie);
    expect(response.status).toBe(200);
    expect(response.html).toContain('<h1 class="govuk-heading-l">Upload documents</h1>');
    expect(response.html).toContain('No files have been uploaded yet.');
    const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(response.html)![1];
    expect(action).toBe(`/applications/${app}/attachments`);
    const formHtml = response.html.slice(response.html.indexOf('enctype="multipart/form-data"'));
    expect(/<input[^>]*name="([^"]+)"/.exec(formHtml)![1]).toBe('_csrf');
    expect(response.html).toContain('type="file"');
    expect(response.html).toContain('name="kind" type="radio" value="safeguarding_policy"');
    expect(response.html).toContain(`href="/applications/${app}"`);
  });

  it('uploads through the page, redirects with 303 and lists the file with its kind, size and uploader', async () => {
    const csrf = csrfOf((await page(`/applications/${app}/attachments`, aliceCookie)).html);
    const data = minimalPdf();
    const response = await postUpload(aliceCookie, csrf, { kind: 'constitution', file: { data, name: 'Our constitution.pdf' } });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/applications/${app}/attachments`);
    const list = await page(`/applications/${app}/attachments`, aliceCookie);
    expect(list.html).toContain('Our constitution.pdf has been uploaded.');
    expect(list.html).toContain('Constitution or governing document');
    expect(list.html).toContain(`${data.length} bytes`);
    expect(list.html).toContain('Alice Applicant');
    const [row] = await t.db.query(`SELECT id FROM attachments WHERE application_id = $1 AND file_name = 'Our constitution.pdf'`, [app]);
    expect(list.html).toContain(`href="/applications/${app}/attachments/${row.id}"`);

    // Downloading through the page (session) gives the same bytes and headers.
    const download = await fetch(`${t.url}/applications/${app}/attachments/${row.id}`, { headers: { cookie: aliceCookie } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-disposition')).toContain("filename*=UTF-8''Our%20constitution.pdf");
    expect(sha256(Buffer.from(await download.arrayBuffer()))).toBe(sha256(data));

    // Another organisation's applicant: 404 for the page and the download; staff may download.
    expect((await page(`/applications/${app}/attachments`, bobCookie)).status).toBe(404);
    const bobDownload = await page(`/applications/${app}/attachments/${row.id}`, bobCookie);
    expect(bobDownload.status).toBe(404);
    expect(bobDownload.html).not.toContain('%PDF');
    const staffDownload = await fetch(`${t.url}/applications/${app}/attachments/${row.id}`, { headers: { cookie: officerCookie } });
    expect(staffDownload.status).toBe(200);
  });

  it('refuses an upload without the CSRF token and stores nothing', async () => {
    const before = await state();
    const response = await postUpload(aliceCookie, null, { kind: 'other', file: { data: minimalPdf(), name: 'forged.pdf' } });
    expect(response.status).toBe(403);
    expect(await state()).toEqual(before);
  });

  it('shows the error summary and field errors for a bad file, keeping the chosen kind', async () => {
    const csrf = csrfOf((await page(`/applications/${app}/attachments`, aliceCookie)).html);
    const before = await state();
    const response = await postUpload(aliceCookie, csrf, { kind: 'accounts', file: { data: windowsExecutable(), name: 'accounts.pdf' } });
    expect(response.status).toBe(415);
    expect(response.html).toContain('<title>Error: Upload documents');
    expect(response.html).toContain('There is a problem');
    expect(response.html).toContain('href="#file"');
    expect(response.html).toContain('The selected file must be a PDF, Word document, Excel spreadsheet, JPEG or PNG');
    expect(response.html).toContain('govuk-file-upload--error');
    expect(response.html).toMatch(/name="kind" type="radio" value="accounts" checked/);
    expect(await state()).toEqual(before);

    const missing = await postUpload(aliceCookie, csrf, { kind: '', file: { data: Buffer.alloc(0), name: '' } });
    expect(missing.status).toBe(422);
    expect(missing.html).toContain('href="#kind"');
    expect(missing.html).toContain('Select what the document is');
    expect(missing.html).toContain('Select a file');
  });

  it('removes a file after confirmation', async () => {
    const [row] = await t.db.query(`SELECT id, storage_key FROM attachments WHERE application_id = $1 AND file_name = 'Our constitution.pdf'`, [app]);
    const confirm = await page(`/applications/${app}/attachments/${row.id}/remove`, aliceCookie);
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain('Are you sure you want to remove Our constitution.pdf?');
    // Someone else's application: 404; no token: 403.
    expect((await page(`/applications/${app}/attachments/${row.id}/remove`, bobCookie)).status).toBe(404);
    const forged = await fetch(`${t.url}/applications/${app}/attachments/${row.id}/remove`, { method: 'POST', headers: { cookie: aliceCookie, 'content-type': 'application/x-www-form-urlencoded' }, body: '', redirect: 'manual' });
    expect(forged.status).toBe(403);
    expect(await rowOf(row.id)).toBeDefined();

    const removed = await fetch(`${t.url}/applications/${app}/attachments/${row.id}/remove`, {
      method: 'POST',
      headers: { cookie: aliceCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrfOf(confirm.html) }).toString(),
      redirect: 'manual',
    });
    expect(removed.status).toBe(303);
    expect(removed.headers.get('location')).toBe(`/applications/${app}/attachments`);
    expect(await rowOf(row.id)).toBeUndefined();
    expect(existsSync(storedPathOf(row.storage_key))).toBe(false);
    expect((await page(`/applications/${app}/attachments`, aliceCookie)).html).toContain('Our constitution.pdf has been removed.');
  });

  it('shows staff the files without the upload form, and members of a submitted application why they cannot change them', async () => {
    const staff = await page(`/applications/${app}/attachments`, officerCookie);
    expect(staff.status).toBe(200);
    expect(staff.html).not.toContain('type="file"');
    expect(staff.html).toContain('can add or remove files');

    await t.db.query(`UPDATE applications SET status = 'submitted' WHERE id = $1`, [app]);
    const submitted = await page(`/applications/${app}/attachments`, aliceCookie);
    expect(submitted.html).not.toContain('type="file"');
    expect(submitted.html).toContain('Files can no longer be added or removed: the application is submitted.');
    const csrf = csrfOf(submitted.html);
    const late = await postUpload(aliceCookie, csrf, { kind: 'other', file: { data: minimalPdf(), name: 'late.pdf' } });
    expect(late.status).toBe(409);
    expect(late.html).toContain('Files can only be added or removed while the application is a draft');
  });
});
