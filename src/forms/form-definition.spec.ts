import { DomainError } from '../common/errors.js';
import { parseFormDefinition } from './form-definition.js';

/** A form as a hostile client may send it: any member may hold anything. */
type Tampered = { sections: (Record<string, unknown> & { questions: Record<string, unknown>[] })[] };

const good = () => ({
  sections: [
    {
      key: 'project',
      title: 'Your project',
      description: 'Tell us what you will do',
      questions: [
        { key: 'need', type: 'text', label: 'What is the need?', required: true, wordLimit: 250 },
        { key: 'people', type: 'number', label: 'How many people?', required: false, min: 1, max: 10000 },
        { key: 'match', type: 'money', label: 'Other funding', required: false, min: 0 },
        { key: 'start', type: 'date', label: 'Start date', required: true },
        { key: 'area', type: 'choice', label: 'Area', required: true, options: ['Urban', 'Rural'] },
        { key: 'insured', type: 'yes_no', label: 'Are you insured?', required: true },
        { key: 'policy', type: 'file', label: 'Safeguarding policy', required: false, hint: 'PDF or Word' },
      ],
    },
  ],
});

function errorsOf(input: unknown): { field: string; code: string }[] {
  try {
    parseFormDefinition(input);
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).kind).toBe('validation');
    return (e as DomainError).errors.map(({ field, code }) => ({ field, code }));
  }
  throw new Error('expected the form to be refused');
}

describe('form definition', () => {
  it('accepts every question type and keeps only known members', () => {
    const parsed = parseFormDefinition(good());
    expect(parsed.sections[0].questions.map((q) => q.type)).toEqual(['text', 'number', 'money', 'date', 'choice', 'yes_no', 'file']);
    expect(parsed.sections[0].questions[0]).toEqual({ key: 'need', type: 'text', label: 'What is the need?', required: true, wordLimit: 250 });
  });

  it('defaults required to true and trims text', () => {
    const parsed = parseFormDefinition({ sections: [{ key: 's', title: '  T  ', questions: [{ key: 'q', type: 'date', label: ' L ' }] }] });
    expect(parsed.sections[0]).toEqual({ key: 's', title: 'T', questions: [{ key: 'q', type: 'date', label: 'L', required: true }] });
  });

  it('needs sections and questions', () => {
    expect(errorsOf({ sections: [] })).toEqual([{ field: 'sections', code: 'FORM.NO_SECTIONS' }]);
    expect(errorsOf(null)).toEqual([{ field: 'sections', code: 'FORM.NOT_AN_OBJECT' }]);
    expect(errorsOf({ sections: [{ key: 's', title: 'T', questions: [] }] })).toEqual([{ field: 'sections.0.questions', code: 'FORM.NO_QUESTIONS' }]);
  });

  it('refuses malformed and duplicate keys, across sections too', () => {
    const form = good();
    form.sections[0].questions[1].key = 'Bad Key';
    form.sections[0].questions[2].key = 'matchFunding';
    form.sections.push({ key: 'project', title: 'Again', description: '', questions: [{ key: 'need', type: 'date', label: 'x', required: true }] } as never);
    expect(errorsOf(form)).toEqual([
      { field: 'sections.0.questions.1.key', code: 'FORM.KEY_INVALID' },
      { field: 'sections.1.key', code: 'FORM.KEY_DUPLICATE' },
      { field: 'sections.1.questions.0.key', code: 'FORM.KEY_DUPLICATE' },
    ]);
  });

  it('refuses unknown types, choices without options and members that do not apply', () => {
    const form = good() as unknown as Tampered;
    form.sections[0].questions[0].type = 'essay';
    form.sections[0].questions[4].options = ['Only one'];
    form.sections[0].questions[3].wordLimit = 10;
    form.sections[0].questions[5].options = ['Yes', 'No'];
    form.sections[0].questions[1].min = 50;
    form.sections[0].questions[1].max = 5;
    form.sections[0].questions[2].max = 1.5;
    form.sections[0].questions[6].colour = 'red';
    expect(errorsOf(form)).toEqual([
      { field: 'sections.0.questions.0.type', code: 'FORM.TYPE_UNKNOWN' },
      { field: 'sections.0.questions.1.min', code: 'FORM.BOUNDS_INVALID' },
      { field: 'sections.0.questions.2.max', code: 'FIELD.NOT_AN_INTEGER' },
      { field: 'sections.0.questions.3.wordLimit', code: 'FORM.MEMBER_NOT_ALLOWED' },
      { field: 'sections.0.questions.4.options', code: 'FORM.OPTIONS_REQUIRED' },
      { field: 'sections.0.questions.5.options', code: 'FORM.MEMBER_NOT_ALLOWED' },
      { field: 'sections.0.questions.6.colour', code: 'FIELD.UNKNOWN_FIELD' },
    ]);
  });

  it('refuses oversized text, bad word limits and duplicate options', () => {
    const form = good() as unknown as Tampered;
    form.sections[0].title = 'x'.repeat(121);
    form.sections[0].questions[0].wordLimit = 0;
    form.sections[0].questions[4].options = ['Urban', 'urban'];
    form.sections[0].questions[6].required = 'yes';
    form.sections[0].questions[5].label = '';
    expect(errorsOf(form)).toEqual([
      { field: 'sections.0.title', code: 'FIELD.TOO_LONG' },
      { field: 'sections.0.questions.0.wordLimit', code: 'FIELD.OUT_OF_RANGE' },
      { field: 'sections.0.questions.4.options', code: 'FORM.OPTION_DUPLICATE' },
      { field: 'sections.0.questions.5.label', code: 'FIELD.REQUIRED' },
      { field: 'sections.0.questions.6.required', code: 'FIELD.NOT_A_BOOLEAN' },
    ]);
  });
});
