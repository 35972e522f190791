import {
  downloadNameOf,
  ATTACHMENT_FILENAME_MAX,
  contentDispositionOf,
  detectAttachmentType,
  DOCX_TYPE,
  sanitiseFilename,
} from './attachment-file';
import { tinyDocx, tinyExe, tinyJpeg, tinyPdf, tinyPng } from './attachment-test-helpers';

describe('detectAttachmentType', () => {
  it.each([
    ['a PDF', tinyPdf(), 'application/pdf'],
    ['a PNG', tinyPng(), 'image/png'],
    ['a JPEG', tinyJpeg(), 'image/jpeg'],
    ['a Word document', tinyDocx(), DOCX_TYPE],
    ['plain text', Buffer.from('Notes from the meeting\r\n\tWelsh: Ysgol Gymraeg ✓\n'), 'text/plain'],
  ])('accepts %s, judged from its bytes', async (_name, bytes, type) => {
    expect(await detectAttachmentType(bytes)).toBe(type);
  });

  it('refuses a program renamed to .pdf: the name plays no part', async () => {
    expect(await detectAttachmentType(tinyExe())).toBeNull();
  });

  it('refuses text with a NUL byte or other control characters', async () => {
    expect(await detectAttachmentType(Buffer.from('looks like text\0but is not'))).toBeNull();
    expect(await detectAttachmentType(Buffer.from('bell \u0007'))).toBeNull();
  });

  it('refuses bytes that are not valid UTF-8', async () => {
    expect(await detectAttachmentType(Buffer.from([0x48, 0x69, 0xc3, 0x28]))).toBeNull();
  });

  it('refuses a type file-type knows but we do not take (a ZIP that is not a Word document)', async () => {
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
    expect(await detectAttachmentType(gif)).toBeNull();
  });
});

describe('sanitiseFilename', () => {
  it('keeps the name as given, accents and Welsh included', () => {
    expect(sanitiseFilename('Nodiadau’r cyfarfod – ŵyn.pdf')).toBe('Nodiadau’r cyfarfod – ŵyn.pdf');
  });

  it('keeps only the last part of a path, from either kind of slash', () => {
    expect(sanitiseFilename('../../etc/passwd')).toBe('passwd');
    expect(sanitiseFilename('C:\\Users\\dsp\\report.docx')).toBe('report.docx');
  });

  it('drops control and bidirectional-override characters', () => {
    expect(sanitiseFilename('evil\r\nname\u0000.txt')).toBe('evilname.txt');
    expect(sanitiseFilename('photo\u202egnp.exe')).toBe('photognp.exe');
  });

  it('names a file with nothing left "attachment", and never starts a name with a dot', () => {
    expect(sanitiseFilename('')).toBe('attachment');
    expect(sanitiseFilename(undefined)).toBe('attachment');
    expect(sanitiseFilename('..')).toBe('attachment');
    expect(sanitiseFilename('.hidden')).toBe('hidden');
  });

  it('shortens a long name, keeping its extension', () => {
    const name = sanitiseFilename(`${'a'.repeat(500)}.pdf`);
    expect([...name]).toHaveLength(ATTACHMENT_FILENAME_MAX);
    expect(name.endsWith('.pdf')).toBe(true);
  });
});

describe('contentDispositionOf', () => {
  it('sends the real name encoded and a plain ASCII stand-in, so nothing breaks out of the header', () => {
    expect(contentDispositionOf('a"b;c\r\nd’.pdf')).toBe(
      `attachment; filename="a_b_cd_.pdf"; filename*=UTF-8''a%22b%3Bcd%E2%80%99.pdf`,
    );
  });
});

describe('downloadNameOf', () => {
  it('saves a file under the extension of what it really is, so a double-click never runs it', () => {
    expect(downloadNameOf('run.bat', 'text/plain')).toBe('run.bat.txt');
    expect(downloadNameOf('page.HTML', 'text/plain')).toBe('page.HTML.txt');
    expect(downloadNameOf('letter', 'application/pdf')).toBe('letter.pdf');
    expect(downloadNameOf('notes.txt', 'text/plain')).toBe('notes.txt');
    expect(downloadNameOf('GP letter.PDF', 'application/pdf')).toBe('GP letter.PDF');
    expect(downloadNameOf('photo.jpeg', 'image/jpeg')).toBe('photo.jpeg');
  });
});
