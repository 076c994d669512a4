import { startTestApp, type TestApp } from '../support/test-app.js';
import { supportAddress } from '../../src/web/info.pages.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ workers: false, smtp: false, env: { MAIL_FROM: 'West Yorkshire grants <grants@wypcc.example.org>' } });
});
afterAll(async () => {
  await t?.close();
});

describe('the pages every footer links to', () => {
  it('links both from the footer of every page, and both answer with a real page to anyone', async () => {
    const start = await (await fetch(t.url + '/')).text();
    for (const href of ['/accessibility', '/privacy']) expect(start).toContain(`href="${href}"`);

    const accessibility = await fetch(t.url + '/accessibility');
    expect(accessibility.status).toBe(200);
    const a = await accessibility.text();
    expect(a).toContain('Accessibility statement for');
    for (const heading of ['Compliance status', 'Non-accessible content', 'Enforcement procedure', 'Preparation of this statement']) expect(a).toContain(heading);
    expect(a).toContain('mailto:grants@wypcc.example.org');
    expect(a).toContain('last reviewed on');

    const privacy = await fetch(t.url + '/privacy');
    expect(privacy.status).toBe(200);
    const p = await privacy.text();
    for (const heading of ['Who is responsible for your data', 'What we keep', 'Why we use it', 'How long we keep it', 'Cookies', 'Your rights']) expect(p).toContain(heading);
    expect(p).toContain('Article 6(1)(e)');
    expect(p).toContain('govuk-summary-list');
    expect(p).toContain('mailto:grants@wypcc.example.org');
  });

  it('publishes only a real mailbox, never a development default', () => {
    expect(supportAddress('Safer Communities Fund <grants@localhost>')).toBeNull();
    expect(supportAddress('grants@wypcc.example.org')).toBe('grants@wypcc.example.org');
  });
});
