import { cleanFileName, contentDisposition, extensionOf, MAX_FILE_NAME_LENGTH } from './file-name.js';

describe('cleanFileName', () => {
  it('keeps an ordinary name as it is', () => {
    expect(cleanFileName('Constitution 2024.pdf')).toEqual({ ok: true, name: 'Constitution 2024.pdf' });
    expect(cleanFileName('Safeguarding – policy £.docx')).toEqual({ ok: true, name: 'Safeguarding – policy £.docx' });
  });

  it('refuses names that climb directories', () => {
    for (const raw of ['../../etc/passwd', '..\\..\\windows\\win.ini', 'a/../b.pdf', './report.pdf', '.. /x.pdf']) {
      expect(cleanFileName(raw)).toEqual({ ok: false, reason: 'traversal' });
    }
  });

  it('keeps only the base name of a full path as old browsers send it', () => {
    expect(cleanFileName('C:\\fakepath\\accounts.xlsx')).toEqual({ ok: true, name: 'accounts.xlsx' });
    expect(cleanFileName('/home/sam/Documents/policy.pdf')).toEqual({ ok: true, name: 'policy.pdf' });
  });

  it('removes control characters, bidi overrides and leading dots', () => {
    expect(cleanFileName('re\u0000po\u0007rt\u001b.pdf')).toEqual({ ok: true, name: 'report.pdf' });
    expect(cleanFileName('invoice\u202Efdp.exe')).toEqual({ ok: true, name: 'invoicefdp.exe' });
    expect(cleanFileName('...htaccess.pdf')).toEqual({ ok: true, name: 'htaccess.pdf' });
    expect(cleanFileName('  . hidden.png ')).toEqual({ ok: true, name: 'hidden.png' });
  });

  it('undoes the escaping browsers apply to quotes and line breaks in multipart file names', () => {
    expect(cleanFileName('The %22final%22 accounts%0D%0A.pdf')).toEqual({ ok: true, name: 'The "final" accounts.pdf' });
  });

  it('refuses a name with nothing left', () => {
    for (const raw of ['', '...', '\u0001\u0002', ' . ', 'folder/', 'passwd/..']) {
      expect(cleanFileName(raw).ok).toBe(false);
    }
  });

  it('cuts long names to 255 characters keeping the extension', () => {
    const result = cleanFileName('a'.repeat(400) + '.pdf');
    expect(result.ok && result.name.length).toBe(MAX_FILE_NAME_LENGTH);
    expect(result.ok && result.name.endsWith('.pdf')).toBe(true);
    const astral = cleanFileName('😀'.repeat(300));
    expect(astral.ok && Array.from(astral.name).length).toBe(MAX_FILE_NAME_LENGTH);
  });
});

describe('extensionOf', () => {
  it('is the lower-case extension, or empty', () => {
    expect(extensionOf('Accounts.XLS')).toBe('xls');
    expect(extensionOf('README')).toBe('');
  });
});

describe('contentDisposition', () => {
  it('always says attachment, with an ASCII fallback and the exact name RFC 5987-encoded', () => {
    expect(contentDisposition('report.pdf')).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
    const header = contentDisposition('Accounts 2017–18 "final" (£).pdf');
    expect(header).toBe(
      `attachment; filename="Accounts 2017_18 _final_ (_).pdf"; filename*=UTF-8''Accounts%202017%E2%80%9318%20%22final%22%20%28%C2%A3%29.pdf`,
    );
    expect(header).not.toMatch(/[\r\n]/);
  });
});
