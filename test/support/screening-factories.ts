import { minimalPdf } from '../fixtures/files.js';
import type { ApiClient } from './http.js';
import { completeApplication, startApplication, type TestRound } from './funding-factories.js';
import type { TestApp } from './test-app.js';

export const DEFAULT_KEYS = ['registered_number', 'latest_accounts', 'safeguarding_policy', 'bank_account', 'project_area', 'no_excluded_purpose'];

/** Every default checklist item answered `result`. */
export const fullChecklist = (result = 'pass', note = 'Checked') => DEFAULT_KEYS.map((key) => ({ key, result, note }));

/** London's date `days` from today, as YYYY-MM-DD. */
export function londonDaysFromNow(days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Uploads one small PDF of `kind` to a bid through the API; returns the status and body. */
export async function uploadFile(t: TestApp, token: string, applicationId: string, kind: string, name = `${kind}.pdf`): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.append('kind', kind);
  form.append('file', new Blob([new Uint8Array(minimalPdf())], { type: 'application/pdf' }), name);
  const res = await fetch(`${t.url}/api/v1/applications/${applicationId}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** A complete bid with an accounts file, submitted through the API; returns its id. */
export async function submittedBid(t: TestApp, api: ApiClient, token: string, round: TestRound, organisationId: string): Promise<string> {
  const started = await startApplication(api, token, round, organisationId);
  await completeApplication(api, token, round, started.id);
  const file = await uploadFile(t, token, started.id, 'accounts');
  if (file.status !== 201) throw new Error(`upload ${file.status}`);
  const sent = await api.post(`/api/v1/applications/${started.id}/submit`, { declaration: { name: 'Test Owner', confirmed: true } }, { token });
  if (sent.status !== 200) throw new Error(`submit ${sent.status} ${sent.text}`);
  return started.id;
}
