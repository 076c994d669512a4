import { sectionSentence } from './section-sentence.js';

describe('the Resources and Funding sentence', () => {
  it('reads as the Panel report does, in whole pounds', () => {
    expect(sectionSentence('Safer Communities Fund', 3634300, 8, 'Human Trafficking and Modern Slavery')).toBe(
      'Safer Communities Fund has awarded a total of £36,343, between 8 organisations, to support projects which are tackling Human Trafficking and Modern Slavery.',
    );
  });

  it('shows pence when there are some, and one organisation in the singular', () => {
    expect(sectionSentence('Community Fund', 2891150, 7, 'cyber crime')).toBe(
      'Community Fund has awarded a total of £28,911.50, between 7 organisations, to support projects which are tackling cyber crime.',
    );
    expect(sectionSentence('Community Fund', 100005, 1, 'hate crime')).toBe(
      'Community Fund has awarded a total of £1,000.05, between 1 organisation, to support projects which are tackling hate crime.',
    );
  });

  it('says so when nothing has been awarded', () => {
    expect(sectionSentence('Safer Communities Fund', 0, 0, 'Road Safety')).toBe('Safer Communities Fund has not yet awarded any money to projects which are tackling Road Safety.');
  });
});
