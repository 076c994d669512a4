import type { FormSection } from '../forms/form.types.js';
import { answersFromBody, completedFrom, dateFrom, displayAnswer, valuesOfAnswers } from './page-forms.js';

const section: FormSection = {
  key: 's',
  title: 'S',
  questions: [
    { key: 'text', type: 'text', label: 'Text', required: true },
    { key: 'n', type: 'number', label: 'N', required: false },
    { key: 'm', type: 'money', label: 'M', required: false },
    { key: 'd', type: 'date', label: 'D', required: false },
    { key: 'y', type: 'yes_no', label: 'Y', required: false },
    { key: 'c', type: 'choice', label: 'C', required: false, options: ['A'] },
  ],
};

describe('reading section pages', () => {
  it('turns what people type into stored answers: pounds to pence, dates to ISO, yes/no to booleans', () => {
    const { answers, errors } = answersFromBody(section, {
      'answers.text': 'Line one\r\nLine two',
      'answers.n': '1,200',
      'answers.m': '£1,250.50',
      'answers.d-day': '1',
      'answers.d-month': '4',
      'answers.d-year': '2030',
      'answers.y': 'no',
      'answers.c': 'A',
    });
    expect(errors).toEqual([]);
    expect(answers).toEqual({ text: 'Line one\nLine two', n: 1200, m: 125050, d: '2030-04-01', y: false, c: 'A' });
  });

  it('leaves out empty answers and reports what cannot be read', () => {
    const { answers, errors } = answersFromBody(section, { 'answers.m': '12.345', 'answers.n': 'ten', 'answers.d-day': '31', 'answers.d-month': '2', 'answers.d-year': '2030' });
    expect(answers).toEqual({});
    expect(errors.map((e) => `${e.field}:${e.code}`)).toEqual(['answers.n:FIELD.NOT_AN_INTEGER', 'answers.m:FIELD.NOT_AN_AMOUNT', 'answers.d:FIELD.INVALID_DATE']);
  });

  it('reads date inputs and the completed radios', () => {
    expect(dateFrom({}, 'x')).toBe('');
    expect(dateFrom({ 'x-day': '5', 'x-month': '11', 'x-year': '2031' }, 'x')).toBe('2031-11-05');
    expect(dateFrom({ 'x-day': '5', 'x-month': '', 'x-year': '2031' }, 'x')).toBeNull();
    expect(completedFrom({ completed: 'yes' })).toBe(true);
    expect(completedFrom({ completed: 'no' })).toBe(false);
    expect(completedFrom({})).toBeNull();
  });

  it('shows stored answers back as the inputs and check-answers need them', () => {
    expect(valuesOfAnswers(section, { m: 125050, y: true, d: '2030-04-01', n: 3 })).toEqual({ m: '1250.50', y: 'yes', d: { day: '1', month: '4', year: '2030' }, n: '3' });
    expect(valuesOfAnswers(section, { m: 500000 }).m).toBe('5000');
    expect(displayAnswer(section.questions[2], 125050)).toBe('£1,250.50');
    expect(displayAnswer(section.questions[3], '2030-04-01')).toBe('1 April 2030');
    expect(displayAnswer(section.questions[4], false)).toBe('No');
  });
});
