import type nunjucks from 'nunjucks';
import { createNunjucks } from '../../src/web/nunjucks.js';

/**
 * The page layout, error pages and static pages: our own brand on GOV.UK
 * Frontend, with none of GOV.UK's (crown, logotype, crest, OGL, Crown copyright).
 */

const staff = { fullName: 'Priya Shah', email: 'priya.shah@example.org', roles: ['grants_officer', 'finance_officer'] };
const navigation = [
  { text: 'Dashboard', href: '/', active: false },
  { text: 'Rounds', href: '/rounds', active: true },
  { text: 'Reports', href: '/reports', active: false },
];

let env: nunjucks.Environment;

beforeAll(() => {
  env = createNunjucks({ autoescape: true });
});

function render(template: string, context: Record<string, unknown> = {}): string {
  return env.render(template, { serviceName: 'Safer Communities Fund', ...context });
}

function renderString(source: string, context: Record<string, unknown> = {}): string {
  return env.renderString(source, { serviceName: 'Safer Communities Fund', ...context });
}

/** A child page as the page renderer will use the layout. */
function renderPage(context: Record<string, unknown> = {}, body = '<h1 class="govuk-heading-l">Rounds</h1>'): string {
  return renderString(`{% extends "layouts/base.njk" %}{% block content %}${body}{% endblock %}`, {
    pageTitle: 'Rounds',
    ...context,
  });
}

function titleOf(html: string): string {
  const match = /<title[^>]*>([\s\S]*?)<\/title>/.exec(html);
  if (!match) throw new Error('no <title>');
  return match[1].replace(/\s+/g, ' ').trim();
}

function expectNoGovukBrand(html: string): void {
  // "GOV.UK" only ever as the name of the design system we build on
  expect(html).not.toMatch(/GOV\.UK(?! Design System)/);
  expect(html).not.toMatch(/crown copyright/i);
  expect(html).not.toMatch(/Open Government Licence/i);
  // The Tudor crown and GOV.UK logotype SVGs, the footer crest and licence logo
  expect(html).not.toContain('cx="20" cy="17.6"');
  expect(html).not.toMatch(/govuk-logo|govuk-header__logotype|govuk-footer__crown|govuk-footer__copyright-logo|govuk-footer__licence-logo|govuk-crest/);
  expect(html).not.toContain('govuk-header"');
  // No GOV.UK favicon, touch icon, mask icon, manifest or OpenGraph image
  expect(html).not.toMatch(/favicon\.ico|govuk-icon|manifest\.json|govuk-opengraph-image/);
  expect(html).not.toMatch(/GDS Transport/);
}

function expectCommonLayout(html: string): void {
  expect(html).toMatch(/^<!DOCTYPE html>/);
  expect(html).toContain('<html lang="en"');
  expect(html).toContain('<link rel="stylesheet" href="/assets/application.css">');
  expect(html).toMatch(/<link rel="icon" type="image\/svg\+xml" href="data:image\/svg\+xml,/);
  expect(html).toContain('<a href="#main-content" class="govuk-skip-link"');
  expect(html).toContain('<main class="govuk-main-wrapper" id="main-content">');
  expect(html.match(/<main\b/g)).toHaveLength(1);
  // Service name as a text link home, in our own header
  expect(html).toMatch(/<a href="\/" class="app-header__link">[\s\S]*Safer Communities Fund\s*<\/a>/);
  // Footer links
  for (const href of ['/accessibility', '/privacy', '/api/docs']) {
    expect(html).toContain(`class="govuk-footer__link" href="${href}"`);
  }
  // JavaScript only as progressive enhancement
  expect(html).toMatch(/<script type="module">\s*import \{ initAll \} from "\/assets\/govuk\/govuk-frontend\.min\.js";\s*initAll\(\);/);
  expectNoGovukBrand(html);
}

describe('layouts/base.njk', () => {
  it('renders for an anonymous visitor: sign-in link, no sign-out form, no navigation', () => {
    const html = renderPage();
    expectCommonLayout(html);
    expect(titleOf(html)).toBe('Rounds – Safer Communities Fund');
    expect(html).toContain('<a class="app-header__account-link" href="/sign-in">Sign in</a>');
    expect(html).not.toContain('/sign-out');
    expect(html).not.toContain('govuk-service-navigation');
    expect(html).not.toContain('govuk-error-summary');
    expect(html).not.toContain('govuk-notification-banner');
    expect(html).not.toContain('govuk-back-link');
    expect(html).not.toContain('app-header__environment');
  });

  it('uses the service name alone as the title when a page has no title', () => {
    const html = renderString('{% extends "layouts/base.njk" %}{% block content %}<h1>Home</h1>{% endblock %}', {
      serviceName: undefined,
    });
    expect(titleOf(html)).toBe('Safer Communities Fund');
  });

  it('renders for signed-in staff: name, POST sign-out form with _csrf, navigation with the current section', () => {
    const html = renderPage({ user: staff, csrfToken: 'csrf-token-value', navigation, isDevelopment: true });
    expectCommonLayout(html);
    expect(html).toContain('Priya Shah');
    expect(html).not.toContain('>Sign in<');

    const form = /<form[^>]*action="\/sign-out"[^>]*>([\s\S]*?)<\/form>/.exec(html);
    expect(form).not.toBeNull();
    expect(form![0]).toMatch(/method="post"/);
    expect(form![1]).toContain('<input type="hidden" name="_csrf" value="csrf-token-value">');
    expect(form![1]).toMatch(/<button type="submit"[^>]*>Sign out<\/button>/);

    expect(html).toContain('class="govuk-service-navigation app-service-navigation"');
    expect(html).toContain('aria-label="Main"');
    expect(html).toMatch(/href="\/rounds"\s+aria-current="true"/);
    expect(html).toMatch(/href="\/reports"\s*>/);
    expect(html).toContain('<strong class="app-header__environment">Development</strong>');
  });

  it('falls back to the email address when a user has no name', () => {
    const html = renderPage({ user: { email: 'someone@example.org', roles: [] }, csrfToken: 't' });
    expect(html).toContain('someone@example.org');
  });

  it('renders an error summary and prefixes the title with "Error: " when there are errors', () => {
    const html = renderPage({
      errorList: [
        { text: 'Enter how much you need', href: '#amount' },
        { text: 'Enter a project name', href: '#name' },
      ],
    });
    expectCommonLayout(html);
    expect(titleOf(html)).toBe('Error: Rounds – Safer Communities Fund');
    const main = html.slice(html.indexOf('<main'));
    expect(main.indexOf('govuk-error-summary')).toBeGreaterThan(-1);
    expect(main.indexOf('govuk-error-summary')).toBeLessThan(main.indexOf('<h1'));
    expect(html).toContain('There is a problem');
    expect(html).toContain('<a href="#amount">Enter how much you need</a>');
    expect(html).toContain('<a href="#name">Enter a project name</a>');
  });

  it('treats an empty error list as no errors', () => {
    const html = renderPage({ errorList: [] });
    expect(titleOf(html)).toBe('Rounds – Safer Communities Fund');
    expect(html).not.toContain('govuk-error-summary');
  });

  it('renders a success flash as a notification banner, escaping its text', () => {
    const html = renderPage({
      flash: { type: 'success', heading: 'Application submitted', text: 'Your reference is SCF-R17-0042 <script>alert(1)</script>' },
    });
    expectCommonLayout(html);
    expect(html).toContain('govuk-notification-banner--success');
    expect(html).toContain('role="alert"');
    expect(html).toContain('<h3 class="govuk-notification-banner__heading">Application submitted</h3>');
    expect(html).toContain('SCF-R17-0042 &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)</script>');
  });

  it('renders an info flash as an "Important" region banner', () => {
    const html = renderPage({ flash: { type: 'info', heading: 'Round closes tomorrow', text: 'Submit before 5pm.' } });
    expect(html).toContain('class="govuk-notification-banner"');
    expect(html).toContain('role="region"');
    expect(html).toContain('Important');
    expect(html).toContain('Round closes tomorrow');
  });

  it('renders a back link before the main column', () => {
    const html = renderPage({ backLink: '/rounds/17' });
    expect(html).toMatch(/<a href="\/rounds\/17" class="govuk-back-link">Back<\/a>/);
    expect(html.indexOf('govuk-back-link')).toBeLessThan(html.indexOf('<main'));
  });

  it('adds the CSP nonce to inline scripts when given one', () => {
    const html = renderPage({ cspNonce: 'abc123' });
    expect(html).toContain('<script type="module" nonce="abc123">');
    expect(html).toContain('<script nonce="abc123">document.body.className');
  });
});

describe('error pages', () => {
  const pages: Array<[string, string]> = [
    ['errors/401.njk', 'You need to sign in'],
    ['errors/403.njk', 'You cannot view this page'],
    ['errors/404.njk', 'Page not found'],
    ['errors/429.njk', 'Too many requests'],
    ['errors/500.njk', 'Sorry, there is a problem with the service'],
  ];

  it.each(pages)('%s has its heading, title and the service layout', (template, heading) => {
    const html = render(template, { requestId: 'req-7f3a' });
    expectCommonLayout(html);
    expect(titleOf(html)).toBe(`${heading} – Safer Communities Fund`);
    expect(html).toContain(`<h1 class="govuk-heading-l">${heading}</h1>`);
    expect(html.match(/<h1\b/g)).toHaveLength(1);
  });

  it.each(pages)('%s renders for a signed-in user too', (template) => {
    const html = render(template, { user: staff, csrfToken: 'tok', navigation });
    expectCommonLayout(html);
    expect(html).toContain('name="_csrf" value="tok"');
  });

  it('500 shows the request id as a reference to quote, and never the detail', () => {
    const html = render('errors/500.njk', { requestId: 'req-7f3a', detail: 'TypeError: cannot read x of undefined' });
    expect(html).toContain('quote this reference: <strong class="app-reference">REQ7F3A</strong>');
    expect(html).not.toContain('TypeError');
  });

  it.each(['errors/403.njk', 'errors/429.njk', 'errors/500.njk'])('%s shows a short reference people can quote, never the raw request UUID', (template) => {
    const html = render(template, { requestId: '3f2a9c1b-77d0-4e5a-9b1c-0d2e3f4a5b6c' });
    expect(html).toMatch(/class="app-reference">3F2A9C1B</);
    expect(html).not.toContain('3f2a9c1b-77d0');
  });

  it('403 and 429 show the detail when given', () => {
    expect(render('errors/403.njk', { detail: 'Only finance officers can record payments.' })).toContain(
      'Only finance officers can record payments.',
    );
    expect(render('errors/429.njk', { retryAfter: 60 })).toContain('Wait 60 seconds and try again.');
  });
});

describe('accessibility statement and privacy notice', () => {
  it('accessibility statement targets WCAG 2.2 AA and says how to report a problem', () => {
    const html = render('pages/accessibility.njk', { supportEmail: 'grants@example.org' });
    expectCommonLayout(html);
    expect(titleOf(html)).toBe('Accessibility statement – Safer Communities Fund');
    expect(html).toContain('WCAG) version 2.2 to level AA');
    expect(html).toContain('mailto:grants@example.org');
    expect(html).toContain('the Police and Crime Commissioner');
  });

  it('privacy notice names the funder as controller, the retention policy and how to get a copy', () => {
    const html = render('pages/privacy.njk', {
      funderName: 'the Mayor of West Yorkshire',
      dataProtectionEmail: 'dpo@example.org',
      retentionPeriods: [{ category: 'Applications that were not funded', period: '2 years after the decision' }],
    });
    expectCommonLayout(html);
    expect(titleOf(html)).toBe('Privacy notice – Safer Communities Fund');
    expect(html).toContain('is run by the Mayor of West Yorkshire, which is the data controller');
    expect(html).toContain('retention policy');
    expect(html).toContain('2 years after the decision');
    expect(html).toContain('ask for a copy of the personal data');
    expect(html).toContain('mailto:dpo@example.org');
  });

  it('privacy notice has a sensible default funder', () => {
    const html = render('pages/privacy.njk');
    expect(html).toContain('is run by the Police and Crime Commissioner, which is the data controller');
    expect(html).not.toMatch(/West Yorkshire/);
  });
});

describe('macros/form.njk', () => {
  it('csrf() renders the hidden _csrf input, escaped', () => {
    const html = renderString('{% from "macros/form.njk" import csrf %}{{ csrf(token) }}', { token: 'a"b' });
    expect(html).toBe('<input type="hidden" name="_csrf" value="a&quot;b">');
  });

  it('fieldError() gives govuk components an errorMessage for fields in error only', () => {
    // The real environment's global, re-exported by form.njk (macros can only return text): no
    // stand-in, so a missing or broken global fails here.
    expect(typeof env.getGlobal('fieldError')).toBe('function');
    const source = `{% from "macros/form.njk" import fieldError %}
{% from "govuk/components/input/macro.njk" import govukInput %}
{{ govukInput({ name: "amount", id: "amount", label: { text: "Amount" }, errorMessage: fieldError(errors, "amount") }) }}
{{ govukInput({ name: "title", id: "title", label: { text: "Title" }, errorMessage: fieldError(errors, "title") }) }}`;
    const html = renderString(source, { errors: { amount: 'Enter an amount' } });
    expect(html).toMatch(/<p id="amount-error" class="govuk-error-message">\s*<span class="govuk-visually-hidden">Error:<\/span> Enter an amount/);
    expect(html).toMatch(/<input class="govuk-input govuk-input--error" id="amount"/);
    expect(html).not.toContain('title-error');
    const clean = renderString(source, { errors: null });
    expect(clean).not.toContain('govuk-error-message');
    expect(renderString(source, {})).not.toContain('govuk-error-message');
  });

  it('in strict mode printing an undefined or null value is an error, so a missing variable cannot pass unseen', () => {
    const strict = createNunjucks({ autoescape: true, strict: true });
    expect(() => strict.renderString('<p>{{ missing }}</p>', {})).toThrow(/output null or undefined/);
    expect(() => strict.renderString('<p>{{ value.name }}</p>', { value: {} })).toThrow(/output null or undefined/);
    expect(strict.renderString('<p>{{ missing | default("none") }}</p>', {})).toBe('<p>none</p>');
    // Otherwise lenient, as production renders.
    expect(createNunjucks({ autoescape: true, strict: false }).renderString('<p>{{ missing }}</p>', {})).toBe('<p></p>');
  });
});
