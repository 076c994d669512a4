import nunjucks from 'nunjucks';
import { formatDate, formatDateTime, financialYearOf } from '../common/dates.js';
import { formatPence } from '../common/money.js';
import { GOVUK_DIR, TEMPLATES_DIR } from '../common/paths.js';

/**
 * One Nunjucks environment shape for pages and emails, with the service's filters.
 *
 * With `strict` (or NUNJUCKS_STRICT=1) printing an undefined or null value is an error instead of
 * an empty string, so a misspelt or missing variable fails the test that renders it; a value that
 * may legitimately be absent says so in the template (`| default('')`). Not yet on for the whole
 * suite: the templates it exposes are still to be fixed.
 */
export function createNunjucks(options: { autoescape: boolean; watch?: boolean; strict?: boolean }): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([TEMPLATES_DIR, GOVUK_DIR], { noCache: false }), {
    autoescape: options.autoescape,
    throwOnUndefined: options.strict ?? process.env.NUNJUCKS_STRICT === '1',
    trimBlocks: true,
    lstripBlocks: true,
  });
  env.addFilter('money', (value: number | string | null | undefined) => (value == null ? '' : formatPence(value)));
  env.addFilter('date', (value: Date | string | null | undefined) => formatDate(value));
  env.addFilter('dateTime', (value: Date | string | null | undefined) => formatDateTime(value));
  // A deadline at midnight is "by the end of" the day before it: written as that day, never as "midnight".
  env.addFilter('deadlineDay', (value: Date | string | null | undefined) => (value ? formatDate(new Date(new Date(value).getTime() - 1)) : ''));
  env.addFilter('financialYear', (value: Date | string) => financialYearOf(value));
  env.addFilter('isoDate', (value: Date | string | null | undefined) => (value ? new Date(value).toISOString() : ''));
  env.addGlobal('fieldError', (errors: Record<string, string> | null | undefined, name: string) =>
    errors && errors[name] ? { text: String(errors[name]) } : undefined,
  );
  return env;
}
