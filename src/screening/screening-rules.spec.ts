import { checkScreening, type ScreeningContext, type ScreeningInput } from './screening-rules.js';

const ctx: ScreeningContext = {
  checklist: [
    { key: 'registered_number', label: 'Registered number checked', position: 1 },
    { key: 'latest_accounts', label: 'Latest accounts seen', position: 2 },
  ],
  sectionKeys: ['_project', 'need', '_budget'],
  attachmentIds: ['a1'],
  attachmentKinds: ['accounts', 'other'],
  today: '2026-12-03',
};
const all = (result: 'pass' | 'fail' | 'not_applicable' = 'pass') => ctx.checklist.map((i) => ({ key: i.key, result, note: '' }));
const codes = (input: ScreeningInput) => checkScreening(input, ctx).errors.map((e) => e.code);

describe('the rules of a screening', () => {
  it('passes with every item answered, kept in the round order with labels, nothing reopened', () => {
    const { errors, checked } = checkScreening({ outcome: 'pass', checklist: [...all()].reverse(), sections: ['need'], message: 'ignored' }, ctx);
    expect(errors).toEqual([]);
    expect(checked.checklist.map((c) => [c.key, c.label])).toEqual([['registered_number', 'Registered number checked'], ['latest_accounts', 'Latest accounts seen']]);
    expect(checked).toMatchObject({ sections: [], attachmentKinds: [], message: null, respondBy: null, reason: null });
  });

  it('needs every item for pass and ineligible, but not for more information', () => {
    expect(codes({ outcome: 'pass', checklist: all().slice(1) })).toEqual(['SCREENING.CHECKLIST_INCOMPLETE']);
    expect(codes({ outcome: 'ineligible', checklist: [], reason: 'Outside the area' })).toEqual(['SCREENING.CHECKLIST_INCOMPLETE', 'SCREENING.CHECKLIST_INCOMPLETE']);
    expect(codes({ outcome: 'more_info', checklist: [], sections: ['need'], message: 'More please', respondBy: '2026-12-04' })).toEqual([]);
  });

  it('asks more information for a message, a date after today (London) and a known section or kind', () => {
    expect(codes({ outcome: 'more_info', checklist: [], sections: [], attachmentKinds: [], message: '', respondBy: '2026-12-03' })).toEqual([
      'SCREENING.NOTHING_REOPENED',
      'SCREENING.MESSAGE_REQUIRED',
      'SCREENING.RESPOND_BY_PAST',
    ]);
    expect(codes({ outcome: 'more_info', checklist: [], attachmentKinds: ['accounts', 'passport'], message: 'm', respondBy: '2026-13-01' })).toEqual(['SCREENING.UNKNOWN_ATTACHMENT_KIND', 'SCREENING.BAD_DATE']);
    expect(codes({ outcome: 'more_info', checklist: [], sections: ['made_up'], message: 'm', respondBy: '2027-01-01' })).toEqual(['SCREENING.UNKNOWN_SECTION']);
  });

  it('refuses unknown and repeated items, files of other bids, long notes, and an ineligible outcome without a reason', () => {
    expect(codes({ outcome: 'pass', checklist: [...all(), { key: 'made_up', result: 'pass' }] })).toEqual(['SCREENING.UNKNOWN_CHECKLIST_ITEM']);
    expect(codes({ outcome: 'pass', checklist: [...all(), all()[0]] })).toEqual(['SCREENING.DUPLICATE_CHECKLIST_ITEM']);
    expect(codes({ outcome: 'pass', checklist: all().map((c, i) => (i ? c : { ...c, attachmentIds: ['a1', 'a2'] })) })).toEqual(['SCREENING.ATTACHMENT_NOT_ON_BID']);
    expect(codes({ outcome: 'pass', checklist: all().map((c, i) => (i ? c : { ...c, note: 'x'.repeat(2001) })) })).toEqual(['SCREENING.NOTE_TOO_LONG']);
    expect(codes({ outcome: 'ineligible', checklist: all('fail'), reason: ' ' })).toEqual(['SCREENING.REASON_REQUIRED']);
  });
});
