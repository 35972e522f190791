import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext } from 'playwright-core';
import { BrowserHarness, pupilIdOf, signedInPage, startBrowserHarness } from '../support/browser';

const TEACHER = 'teacher@riverside.example';
const DSP = 'dsp@riverside.example';

/**
 * Issue 12: a DSP downloads the chronology as a PDF from the chronology page's form, in Welsh with
 * staff names removed, with and without JavaScript; the file is what the form asked for.
 */
describe('Downloading the chronology as a PDF (real browser)', () => {
  let harness: BrowserHarness;
  let context: BrowserContext | undefined;
  let pupilId: string;
  let dir: string;
  let teacherName: string;
  const childsWords = "Mae'r ŵyn yn y cae ac mae'r ŷd yn tyfu.";

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chronology-pdf-browser-'));
    harness = await startBrowserHarness();
    pupilId = await pupilIdOf(harness.testApp, DSP, 'Zofia', 'Nowak');
    teacherName = (await harness.testApp.as(TEACHER).me()).name;
    await harness.testApp.as(TEACHER).created('/api/concerns', {
      pupilId,
      occurredAt: new Date(Date.now() - 3600_000).toISOString(),
      category: 'emotional',
      summary: 'Quiet all morning; said something at lunch.',
      childsWords,
      childsWordsLanguage: 'cy',
      evidenceBasis: 'disclosed_by_child',
    });
  });

  afterAll(async () => {
    await harness?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  it.each([
    ['with JavaScript', true],
    ['without JavaScript', false],
  ])('gives the PDF in Welsh with staff names removed (%s)', async (_label, javaScriptEnabled) => {
    const signedIn = await signedInPage(harness, DSP, { javaScriptEnabled, acceptDownloads: true });
    context = signedIn.context;
    const { page } = signedIn;
    await page.goto(`${harness.baseUrl}/pupils/${pupilId}/chronology`);
    await page.getByText('Download as PDF', { exact: true }).click();
    await page.getByLabel('Cymraeg').check();
    await page.getByLabel(/Remove staff names/).check();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download PDF' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^chronology-[A-Z0-9]+-\d{4}-\d{2}-\d{2}\.pdf$/);
    const file = join(dir, `${javaScriptEnabled ? 'js' : 'no-js'}.pdf`);
    await download.saveAs(file);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('OFFICIAL-SENSITIVE (SWYDDOGOL-SENSITIF)');
    expect(text).toContain('Cronoleg ddiogelu');
    expect(text).toContain('Tudalen 1 o ');
    expect(text).toContain(childsWords);
    expect(text).toContain('Gan: Aelod o staff');
    expect(text).not.toContain(teacherName);
  });
});
