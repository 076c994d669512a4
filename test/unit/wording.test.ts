import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatPence } from '../../src/common/money.js';
import { DEMO_FORM } from '../../src/demo/demo-funding.js';

const filesUnder = (dir: string, ending: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path, ending) : path.endsWith(ending) ? [path] : [];
  });

/** What people read in a template: outside comments, tags, Nunjucks tags and expressions, plus the text strings given to macros. */
function templateProse(source: string): string[] {
  const withoutComments = source.replace(/\{#[\s\S]*?#\}/g, '');
  // Every string literal inside an expression or tag (macro texts, email paragraphs) is read too.
  const expressions = [...withoutComments.matchAll(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g)].map((m) => m[0]);
  const macroStrings = expressions.flatMap((e) => [...e.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1].replace(/<[^>]+>/g, '')));
  const outside = withoutComments.replace(/\{%[\s\S]*?%\}/g, '\n').replace(/\{\{[\s\S]*?\}\}/g, ' ').replace(/<[^>]+>/g, '\n');
  return [...outside.split('\n'), ...macroStrings].map((l) => l.trim()).filter(Boolean);
}

/** Messages people read, written in the source: error messages, page titles and flashes. */
function sourceMessages(source: string): string[] {
  return source
    .split('\n')
    .filter((line) => /message|Message|title:|flash\(|DomainError\(/.test(line) && !/ApiOperation|ApiProperty|content-disposition|^\s*(\/\/|\*|\/\*\*)/.test(line));
}

const STRAIGHT = /[A-Za-z]'[A-Za-z]|"\$\{|\}"|“[^”]*"|"[A-Z][a-z]+ [^"]*"\s*(section|question)/;

describe('wording people read', () => {
  it('uses curly quotes and apostrophes (‘ ’ “ ”) in page text, never straight ones', () => {
    const found = filesUnder('templates', '.njk').flatMap((file) =>
      templateProse(readFileSync(file, 'utf8'))
        .filter((line) => /[A-Za-z]'[A-Za-z]|(^|\s)"[A-Za-z]/.test(line))
        .map((line) => `${file}: ${line}`),
    );
    expect(found).toEqual([]);
  });

  it('uses curly quotes in the messages the services and pages write', () => {
    const found = filesUnder('src', '.ts')
      .filter((file) => !file.endsWith('.spec.ts') && !/src\/(config|database|queue)\//.test(file))
      .flatMap((file) => sourceMessages(readFileSync(file, 'utf8')).filter((line) => STRAIGHT.test(line)).map((line) => `${file}: ${line.trim()}`));
    expect(found).toEqual([]);
  });

  it('writes money one way everywhere: whole pounds without pence, else with pence', () => {
    expect(formatPence(425000)).toBe('£4,250');
    expect(formatPence(425050)).toBe('£4,250.50');
    // No second way to write money exists to be used: no "always show pence" option, no filter for it.
    const exact = [...filesUnder('templates', '.njk'), ...filesUnder('src', '.ts')].filter((f) => /moneyExact|alwaysShowPence/.test(readFileSync(f, 'utf8')));
    expect(exact).toEqual([]);
  });

  it('gives the demo form hints that add something, never the label again', () => {
    for (const q of DEMO_FORM.sections.flatMap((s) => s.questions)) {
      if (!q.hint) continue;
      expect(q.hint.toLowerCase()).not.toContain(q.label.toLowerCase().replace(/^(upload )?your /, ''));
      expect(q.hint).not.toMatch(/attachments page/i);
    }
  });
});
