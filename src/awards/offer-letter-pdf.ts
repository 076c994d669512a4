import type { FastifyReply } from 'fastify';
import PDFDocument from 'pdfkit';
import { formatDate } from '../common/dates.js';
import { formatPence } from '../common/money.js';
import { deadlineText } from './award-mail.js';
import type { OfferLetter } from './award-reader.js';

export interface PdfOptions {
  /** Uncompressed content streams (tests read the text straight out of them). */
  compress?: boolean;
}

/**
 * The offer letter as a PDF (pdfkit, its built-in Helvetica): the same facts as the page, in the
 * same order: who, how much, the conditions, the payment plan, monitoring, and the full grant
 * agreement terms of the version the offer was made under.
 */
export function offerLetterPdf(letter: OfferLetter, options: PdfOptions = {}): Promise<Buffer> {
  const { award } = letter;
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    compress: options.compress ?? true,
    info: { Title: `Offer of a grant ${award.reference}`, Author: 'Safer Communities Fund', Subject: award.organisation.name },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const heading = (text: string) => doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).text(text).moveDown(0.3).font('Helvetica').fontSize(11);
  const para = (text: string) => doc.text(text, { paragraphGap: 4 });

  doc.font('Helvetica-Bold').fontSize(18).text('Offer of a grant');
  doc.font('Helvetica').fontSize(11).moveDown(0.5);
  para(`Reference: ${award.reference}`);
  para(`Organisation: ${award.organisation.name}`);
  if (letter.organisationPostcode) para(`Postcode: ${letter.organisationPostcode}`);
  para(`Project: ${letter.projectTitle}`);
  if (letter.roundTitle) para(`Funding round: ${letter.roundTitle}`);
  if (award.offeredAt) para(`Offered on: ${formatDate(award.offeredAt)}`);

  heading('The grant');
  para(`We are pleased to offer ${award.organisation.name} a grant of ${formatPence(award.amountPence)} for the project above, on the conditions and terms below.`);
  if (award.offerExpiresAt && award.status === 'offered') para(`An owner of the organisation must accept or decline this offer online by ${deadlineText(award.offerExpiresAt)}, or it will expire.`);

  heading('Conditions');
  if (award.conditions.length) award.conditions.forEach((c, i) => para(`${i + 1}. ${c}`));
  else para('This offer has no special conditions.');

  heading('How the grant is paid');
  letter.paymentPlan.forEach(para);

  heading('Monitoring');
  letter.monitoring.forEach(para);

  heading(letter.terms ? `Grant agreement terms (version ${letter.terms.version})` : 'Grant agreement terms');
  if (letter.terms) for (const block of letter.terms.text.split(/\n{2,}/)) para(block);
  else para('The grant agreement terms are sent with the offer.');

  if (award.acceptance) {
    heading('Acceptance');
    para(`Accepted on ${formatDate(award.acceptance.acceptedAt)} by ${award.acceptance.signatoryName}, ${award.acceptance.signatoryRole}, for ${award.organisation.name}.`);
  }
  doc.end();
  return done;
}

/** Sends a PDF as a download, never cached by shared caches. */
export async function sendPdf(reply: FastifyReply, pdf: Buffer, fileName: string): Promise<void> {
  await reply
    .status(200)
    .header('content-type', 'application/pdf')
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(pdf);
}
