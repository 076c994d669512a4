import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import { formatDate } from '../common/dates.js';
import { formatPence } from '../common/money.js';
import type { PrioritySection } from './priority-section.service.js';

/** "2014/15" as the Panel's papers write a year heading ("2014/2015" would also do; we keep one form). */
const yearHeading = (label: string) => label;

/**
 * The Resources and Funding section as a Word document staff paste into the Panel's papers: the
 * heading, the sentence, the funded projects behind it, and the other funding by financial year.
 */
export async function sectionDocx(section: PrioritySection): Promise<Buffer> {
  const scope = section.financialYear ? `financial year ${section.financialYear}` : 'all years to date';
  const children: Paragraph[] = [
    new Paragraph({ text: 'Resources and Funding', heading: HeadingLevel.HEADING_2 }),
    new Paragraph({ children: [new TextRun({ text: `${section.priority} (${scope})`, italics: true })] }),
    new Paragraph({ text: section.sentence }),
  ];
  if (section.projects.length) {
    children.push(new Paragraph({ text: 'Projects funded', heading: HeadingLevel.HEADING_3 }));
    for (const p of section.projects) {
      children.push(new Paragraph({ text: `${p.organisation}: ${p.project}, ${formatPence(p.amountPence)} (${p.round}, ${formatDate(p.decisionDate)})`, bullet: { level: 0 } }));
    }
  }
  for (const year of section.otherFunding) {
    children.push(new Paragraph({ text: yearHeading(year.financialYear), heading: HeadingLevel.HEADING_3 }));
    for (const item of year.items) children.push(new Paragraph({ text: item.description, bullet: { level: 0 } }));
  }
  const doc = new Document({
    creator: section.fund.name,
    title: `Resources and Funding: ${section.priority}`,
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}

export const docxType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const sectionFileName = (s: PrioritySection) => `resources-and-funding-${s.priorityCode}${s.financialYear ? `-${s.financialYear.replace('/', '-')}` : ''}.docx`;
