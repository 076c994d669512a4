/**
 * The text of a PDF written by pdfkit with `compress: false`: its standard fonts write each line
 * as one `[<hex> kerning <hex> ...] TJ` in WinAnsi, so the hex runs of each TJ are one line of
 * text. Lines are joined with a space (a paragraph that wraps reads as one sentence again).
 */
const WIN_ANSI_HIGH: Record<number, string> = { 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x96: '–', 0x97: '—', 0x85: '…', 0x80: '€' };

const decode = (hex: string) =>
  [...Buffer.from(hex, 'hex')].map((byte) => WIN_ANSI_HIGH[byte] ?? String.fromCharCode(byte)).join('');

export function pdfText(pdf: Buffer): string {
  const source = pdf.toString('latin1');
  if (!source.startsWith('%PDF-')) throw new Error('Not a PDF');
  const lines = [...source.matchAll(/\[((?:<[0-9a-fA-F]*>|\s|-?\d+(?:\.\d+)?)*)\]\s*TJ/g)].map((m) => [...m[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => decode(h[1])).join(''));
  return lines.join(' ').replace(/\s+/g, ' ').trim();
}
