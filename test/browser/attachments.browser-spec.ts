import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext } from 'playwright-core';
import { tinyPdf } from '../../src/dsp/attachments/attachment-test-helpers';
import { BrowserHarness, pupilIdOf, signedInPage, startBrowserHarness } from '../support/browser';
import { axeViolations } from '../support/axe';

const DSP = 'dsp@riverside.example';

/**
 * A DSP attaches a small PDF to a concern on its page, sees it listed, downloads the same bytes, and
 * finds it named in the pupil's chronology PDF; without JavaScript, as the form needs none.
 */
describe('Attaching a file to a concern (real browser)', () => {
  let harness: BrowserHarness;
  let context: BrowserContext | undefined;
  let concernId: string;
  let pupilId: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'attachments-browser-'));
    harness = await startBrowserHarness();
    pupilId = await pupilIdOf(harness.testApp, DSP, 'Zofia', 'Nowak');
    concernId = (
      await harness.testApp.as(DSP).created('/api/concerns', {
        pupilId,
        occurredAt: new Date(Date.now() - 3600_000).toISOString(),
        category: 'wellbeing',
        summary: 'Brought in a letter from the GP about sleep problems.',
        evidenceBasis: 'observed',
      })
    ).id;
  });

  afterAll(async () => {
    await context?.close();
    await harness?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('attaches a PDF, lists it, downloads the same bytes, and the chronology PDF names it', async () => {
    const signedIn = await signedInPage(harness, DSP, { javaScriptEnabled: false, acceptDownloads: true });
    context = signedIn.context;
    const { page } = signedIn;
    await page.goto(`${harness.baseUrl}/concerns/${concernId}`);
    expect(await page.getByText('No files are attached to this concern.').isVisible()).toBe(true);

    // Nothing chosen: the error summary says so and links to the file field.
    await page.getByRole('button', { name: 'Attach file' }).click();
    expect(await page.locator('.govuk-error-summary').getByText('Choose a file to attach').isVisible()).toBe(true);

    const pdf = tinyPdf('GP letter');
    await page
      .getByLabel('Attach a file')
      .setInputFiles({ name: 'GP letter.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.getByRole('button', { name: 'Attach file' }).click();
    const link = page.getByRole('link', { name: 'GP letter.pdf' });
    expect(await link.isVisible()).toBe(true);
    const row = page.locator('tr', { has: link });
    expect(await row.textContent()).toContain('PDF');

    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('GP letter.pdf');
    const saved = join(dir, 'attachment.pdf');
    await download.saveAs(saved);
    expect(Buffer.compare(readFileSync(saved), pdf)).toBe(0);

    await page.goto(`${harness.baseUrl}/pupils/${pupilId}/chronology`);
    await page.getByText('Download as PDF', { exact: true }).click();
    const [chronology] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download PDF' }).click(),
    ]);
    const file = join(dir, 'chronology.pdf');
    await chronology.saveAs(file);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('File attached to a concern: GP letter.pdf');

    // The page as listed, checked with axe (which needs script, so in a second, scripted browser).
    await context.close();
    const scripted = await signedInPage(harness, DSP, { javaScriptEnabled: true });
    context = scripted.context;
    await scripted.page.goto(`${harness.baseUrl}/concerns/${concernId}`);
    expect(await scripted.page.getByRole('link', { name: 'GP letter.pdf' }).isVisible()).toBe(true);
    expect(await axeViolations(scripted.page)).toEqual([]);
  });
});
