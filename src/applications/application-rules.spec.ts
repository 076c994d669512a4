import type { FormSection } from '../forms/form.types.js';
import { addMonths, checkProjectDetails, checkSectionAnswers, countWords, isIsoDate, latestEndDate, todayInLondon, validationError } from './application-rules.js';

const pot = { districtIds: ['d1', 'd2'], priorityIds: ['p1'], postcodeDistricts: [] as string[] };
const today = '2030-01-15';

describe('words and dates', () => {
  it('counts words however they are spaced', () => {
    expect(countWords('')).toBe(0);
    expect(countWords('  one\ttwo\n\nthree  ')).toBe(3);
  });

  it('knows real dates and month arithmetic', () => {
    expect(isIsoDate('2031-02-28')).toBe(true);
    expect(isIsoDate('2031-02-29')).toBe(false);
    expect(isIsoDate('2032-02-29')).toBe(true);
    expect(isIsoDate('31/03/2031')).toBe(false);
    expect(addMonths('2031-01-31', 1)).toBe('2031-02-28');
    expect(latestEndDate('2031-04-01')).toBe('2032-03-31');
    expect(latestEndDate('2031-02-28')).toBe('2032-02-27');
  });

  it('takes today in Europe/London, not UTC', () => {
    // 23:30 UTC on 30 June is already 1 July in London (BST)
    expect(todayInLondon(new Date('2030-06-30T23:30:00Z'))).toBe('2030-07-01');
    expect(todayInLondon(new Date('2030-12-31T23:30:00Z'))).toBe('2030-12-31');
  });
});

describe('project details', () => {
  const codes = (input: Parameters<typeof checkProjectDetails>[0], requireAll = false, own: string | null = 'LS1', p = pot) =>
    checkProjectDetails(input, p, { today, requireAll, organisationPostcodeDistrict: own }).map((e) => `${e.field}:${e.code}`);

  it('accepts partial answers while in progress and lists every gap when completing', () => {
    expect(codes({ projectTitle: 'Title' })).toEqual([]);
    expect(codes({ projectTitle: 'Title' }, true)).toEqual([
      'projectSummary:FIELD.REQUIRED',
      'projectStartDate:FIELD.REQUIRED',
      'projectEndDate:FIELD.REQUIRED',
      'districtIds:FIELD.REQUIRED',
      'priorityIds:FIELD.REQUIRED',
    ]);
  });

  it('enforces the word limit, a future start and at most 12 months', () => {
    expect(codes({ projectSummary: 'w '.repeat(250) })).toEqual([]);
    expect(codes({ projectSummary: 'w '.repeat(251) })).toEqual(['projectSummary:FIELD.WORD_LIMIT']);
    expect(codes({ projectStartDate: today })).toEqual(['projectStartDate:APPLICATION.START_DATE_NOT_IN_FUTURE']);
    expect(codes({ projectStartDate: '2030-01-16', projectEndDate: '2031-01-15' })).toEqual([]);
    expect(codes({ projectStartDate: '2030-01-16', projectEndDate: '2031-01-16' })).toEqual(['projectEndDate:APPLICATION.PROJECT_TOO_LONG']);
    expect(codes({ projectStartDate: '2030-03-01', projectEndDate: '2030-02-01' })).toEqual(['projectEndDate:APPLICATION.END_BEFORE_START']);
  });

  it('keeps districts and priorities within the pot, and checks postcode districts when the pot has them', () => {
    expect(codes({ districtIds: ['d1', 'dX'] })).toEqual(['districtIds:APPLICATION.DISTRICT_NOT_IN_POT']);
    expect(codes({ priorityIds: ['pX'] })).toEqual(['priorityIds:APPLICATION.PRIORITY_NOT_IN_POT']);
    const limited = { ...pot, postcodeDistricts: ['LS9', 'bd1'] };
    expect(codes({ districtIds: ['d1'] }, false, 'LS9', limited)).toEqual([]);
    expect(codes({ districtIds: ['d1'] }, false, 'BD1', limited)).toEqual([]);
    expect(codes({ districtIds: ['d1'] }, false, 'LS1', limited)).toEqual(['districtIds:APPLICATION.POSTCODE_NOT_IN_POT']);
    expect(codes({ districtIds: ['d1'] }, false, null, limited)).toEqual(['districtIds:APPLICATION.POSTCODE_NOT_IN_POT']);
  });
});

describe('form section answers', () => {
  const section: FormSection = {
    key: 's',
    title: 'S',
    questions: [
      { key: 'text', type: 'text', label: 'Text', required: true, wordLimit: 3 },
      { key: 'n', type: 'number', label: 'N', required: false, min: 1, max: 10 },
      { key: 'm', type: 'money', label: 'M', required: false },
      { key: 'd', type: 'date', label: 'D', required: false },
      { key: 'c', type: 'choice', label: 'C', required: false, options: ['A', 'B'] },
      { key: 'y', type: 'yes_no', label: 'Y', required: true },
      { key: 'f', type: 'file', label: 'F', required: true },
    ],
  };
  const codes = (answers: Record<string, unknown>, requireAll = false) => checkSectionAnswers(section, answers, requireAll).map((e) => `${e.field}:${e.code}`);

  it('accepts good answers of every type', () => {
    expect(codes({ text: 'one two three', n: 10, m: 0, d: '2030-02-28', c: 'B', y: false }, true)).toEqual([]);
  });

  it('refuses wrong types, limits and unknown keys, and file answers (those are attachments)', () => {
    expect(codes({ text: 'one two three four' })).toEqual(['answers.text:FIELD.WORD_LIMIT']);
    expect(codes({ n: 11 })).toEqual(['answers.n:FIELD.TOO_LARGE']);
    expect(codes({ n: 1.5 })).toEqual(['answers.n:FIELD.NOT_AN_INTEGER']);
    expect(codes({ m: -1 })).toEqual(['answers.m:FIELD.TOO_SMALL']);
    expect(codes({ m: '12.50' })).toEqual(['answers.m:FIELD.NOT_AN_INTEGER']);
    expect(codes({ d: '2030-02-30' })).toEqual(['answers.d:FIELD.INVALID_DATE']);
    expect(codes({ c: 'Z' })).toEqual(['answers.c:FIELD.NOT_ALLOWED_VALUE']);
    expect(codes({ y: 'yes' })).toEqual(['answers.y:FIELD.NOT_A_BOOLEAN']);
    expect(codes({ f: 'file.pdf', other: 1 })).toEqual(['answers.f:FIELD.UNKNOWN_QUESTION', 'answers.other:FIELD.UNKNOWN_QUESTION']);
  });

  it('requires required answers only when completing', () => {
    expect(codes({})).toEqual([]);
    expect(codes({ text: '   ' }, true)).toEqual(['answers.text:FIELD.REQUIRED', 'answers.y:FIELD.REQUIRED']);
  });
});

describe('validation errors', () => {
  it('carry the one code they share, or VALIDATION.FAILED', () => {
    expect(validationError([{ field: 'a', code: 'X.ONE', message: 'm' }]).code).toBe('X.ONE');
    expect(validationError([{ field: 'a', code: 'X.ONE', message: 'm' }, { field: 'b', code: 'X.ONE', message: 'n' }]).code).toBe('X.ONE');
    expect(validationError([{ field: 'a', code: 'X.ONE', message: 'm' }, { field: 'b', code: 'X.TWO', message: 'n' }]).code).toBe('VALIDATION.FAILED');
  });
});
