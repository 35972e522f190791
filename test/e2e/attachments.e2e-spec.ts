import { createHash } from 'node:crypto';
import { ATTACHMENT_MAX_BYTES } from '../../src/dsp/attachments/attachment-file';
import { tinyDocx, tinyExe, tinyPdf } from '../../src/dsp/attachments/attachment-test-helpers';
import { bootTestApp, TestApp } from '../support/test-app';
import { cookieHeader, csrfFieldOf, openPageSession, PageSession } from '../support/web-session';

interface AttachmentAnswer {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
}

/** Binary bodies as a Buffer (supertest leaves non-text types unparsed otherwise). */
const asBuffer = (response: unknown, callback: (error: Error | null, body: Buffer) => void) => {
  const stream = response as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
};

/** API.md, Daily work: attachments over HTTP, through the API and the concern page. */
describe('Attachments on a concern', () => {
  let testApp: TestApp;
  let concernId: string;
  let dspPages: PageSession;

  const upload = async (email: string, file: Buffer | null, name = 'file.pdf') => {
    const sending = testApp
      .http()
      .post(`/api/concerns/${concernId}/attachments`)
      .set(await testApp.as(email).authorization());
    return file ? sending.attach('file', file, name) : sending.field('note', 'no file');
  };

  const pageUpload = async (session: PageSession, file: Buffer | null, name = 'file.pdf', withCsrf = true) => {
    const page = await session.get(`/concerns/${concernId}`);
    let sending = testApp
      .http()
      .post(`/concerns/${concernId}/attachments`)
      .set('Cookie', cookieHeader(session.cookies));
    if (withCsrf) sending = sending.field('_csrf', csrfFieldOf(page.text));
    return file ? sending.attach('file', file, name) : sending.field('file', '');
  };

  beforeAll(async () => {
    testApp = await bootTestApp();
    const dsp = testApp.as('dsp@riverside.example');
    const [pupil] = await dsp.pupils();
    concernId = (
      await dsp.created('/api/concerns', {
        pupilId: pupil.id,
        occurredAt: new Date(Date.now() - 3600_000).toISOString(),
        category: 'wellbeing',
        summary: 'Came in upset; said things at home were hard',
        evidenceBasis: 'observed',
      })
    ).id;
    dspPages = await openPageSession(testApp, 'dsp@riverside.example');
  });

  afterAll(() => testApp.close());

  it('takes a file (201), reads its type from the content and gives the same bytes back as a download', async () => {
    const pdf = tinyPdf();
    const added = await upload('dsp@riverside.example', pdf, 'Safety plan "final".pdf');
    expect(added.status).toBe(201);
    const body = added.body as AttachmentAnswer;
    expect(body).toEqual({
      id: expect.any(String),
      filename: 'Safety plan "final".pdf',
      contentType: 'application/pdf',
      size: pdf.length,
      sha256: createHash('sha256').update(pdf).digest('hex'),
    });

    const download = await testApp
      .http()
      .get(`/api/attachments/${body.id}`)
      .set(await testApp.as('teacher@riverside.example').authorization())
      .buffer(true)
      .parse(asBuffer);
    // The teacher who did not record this concern cannot read it, so the file is not there for them.
    expect(download.status).toBe(404);

    const mine = await testApp
      .http()
      .get(`/api/attachments/${body.id}`)
      .set(await testApp.as('head@riverside.example').authorization())
      .buffer(true)
      .parse(asBuffer);
    expect(mine.status).toBe(200);
    expect(Buffer.compare(mine.body as Buffer, pdf)).toBe(0);
    expect(mine.headers['content-type']).toBe('application/pdf');
    expect(mine.headers['x-content-type-options']).toBe('nosniff');
    expect(mine.headers['content-disposition']).toBe(
      `attachment; filename="Safety plan _final_.pdf"; filename*=UTF-8''Safety%20plan%20%22final%22.pdf`,
    );

    const read = await testApp
      .as('dsp@riverside.example')
      .read<{ attachments: AttachmentAnswer[] }>(`/api/concerns/${concernId}`);
    expect(read.attachments).toEqual([
      expect.objectContaining({ id: body.id, filename: 'Safety plan "final".pdf', addedBy: expect.any(Object) }),
    ]);
  });

  it('answers 415 for a program renamed .pdf, 413 over 10 MB and 400 with no file, storing nothing', async () => {
    const exe = await upload('dsp@riverside.example', tinyExe(), 'invoice.pdf');
    expect(exe.status).toBe(415);
    expect(exe.body).toMatchObject({ code: 'unsupported_media_type', errors: { file: [expect.any(String)] } });

    const big = await upload('dsp@riverside.example', Buffer.alloc(ATTACHMENT_MAX_BYTES + 1, 'a'), 'big.txt');
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ code: 'payload_too_large' });

    const none = await upload('dsp@riverside.example', null);
    expect(none.status).toBe(400);

    const docx = await upload('dsp@riverside.example', tinyDocx(), 'letter.docx');
    expect(docx.status).toBe(201);

    const read = await testApp
      .as('dsp@riverside.example')
      .read<{ attachments: AttachmentAnswer[] }>(`/api/concerns/${concernId}`);
    expect(read.attachments.map((a) => a.filename)).toEqual(['Safety plan "final".pdf', 'letter.docx']);
  });

  it('is 404 to another school, uploading or downloading, and 401 signed out', async () => {
    expect((await upload('dsp@hillcrest.example', tinyPdf())).status).toBe(404);
    const read = await testApp
      .as('dsp@riverside.example')
      .read<{ attachments: AttachmentAnswer[] }>(`/api/concerns/${concernId}`);
    const other = await testApp
      .http()
      .get(`/api/attachments/${read.attachments[0].id}`)
      .set(await testApp.as('dsp@hillcrest.example').authorization());
    expect(other.status).toBe(404);
    expect(
      (await testApp.http().post(`/api/concerns/${concernId}/attachments`).attach('file', tinyPdf(), 'a.pdf')).status,
    ).toBe(401);
  });

  it('lets a DSP attach a file on the concern page (CSRF checked) and download it from the list', async () => {
    const refused = await pageUpload(dspPages, tinyPdf(), 'no-token.pdf', false);
    expect(refused.status).toBe(403);

    const posted = await pageUpload(dspPages, Buffer.from('Notes from the meeting\n'), 'meeting notes.txt');
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toBe(`/concerns/${concernId}#attachments`);
    const page = await dspPages.get(`/concerns/${concernId}`);
    expect(page.text).toContain('id="attachments"');
    expect(page.text).toContain('enctype="multipart/form-data"');
    const link = /<a class="govuk-link" href="(\/attachments\/[0-9a-f-]{36})" download>meeting notes.txt<\/a>/.exec(
      page.text,
    );
    expect(link).not.toBeNull();
    expect(page.text).toContain('Plain text');

    const download = await testApp.http().get(link![1]).set('Cookie', cookieHeader(dspPages.cookies));
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(download.text).toBe('Notes from the meeting\n');
  });

  it('says on the page what is wrong with a file: too large, not a type we take, none chosen', async () => {
    const big = await pageUpload(dspPages, Buffer.alloc(ATTACHMENT_MAX_BYTES + 1, 'a'), 'big.txt');
    expect(big.status).toBe(413);
    expect(big.text).toContain('govuk-error-summary');
    expect(big.text).toContain('The file must be 10 MB or smaller');
    expect(big.text).toContain('href="#attachment-file"');

    const exe = await pageUpload(dspPages, tinyExe(), 'report.pdf');
    expect(exe.status).toBe(415);
    expect(exe.text).toContain('The file must be a PDF, PNG, JPEG, Word document (.docx) or plain text');

    const none = await pageUpload(dspPages, null);
    expect(none.status).toBe(400);
    expect(none.text).toContain('Choose a file to attach');
  });

  it('shows the section in Welsh', async () => {
    const welsh = await openPageSession(testApp, 'dsp@riverside.example', { language: 'cy' });
    const page = await welsh.get(`/concerns/${concernId}`);
    expect(page.text).toContain('Atodiadau');
    expect(page.text).toContain('Atodi ffeil');
    expect(page.text).toContain('Testun plaen');
  });
});
