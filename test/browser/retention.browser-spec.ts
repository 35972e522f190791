import { Organisation } from '../../src/organisations/organisation.entity';
import { axeViolations } from '../support/axe';
import { BrowserHarness, signedInPage, startBrowserHarness } from '../support/browser';
import { Factory } from '../support/factory';

const DSP = 'dsp@riverside.example';
const LEAD = 'lead@cardiff.example';

/**
 * A retention review walked in a real browser: Riverside's DSP finds a former pupil past their 25th
 * birthday on the review list, proposes disposal (a blank reason is refused first), and the LA lead,
 * the second person, approves it; both read the tombstone. Every page meets WCAG 2.1 AA as far as axe
 * can tell. Riverside has one DSP in the demo, so the LA lead is the second person.
 */
describe('Retention review, from the list to the tombstone (real browser)', () => {
  let harness: BrowserHarness;
  let pupilId: string;

  beforeAll(async () => {
    harness = await startBrowserHarness();
    const { testApp } = harness;
    const factory = new Factory(testApp.dataSource);
    const recorder = await factory.actorFor(await testApp.as(DSP).me());
    const riverside = await testApp.dataSource
      .getRepository(Organisation)
      .findOneByOrFail({ id: recorder.organisationId });
    const pupil = await factory.pupil(riverside, {
      firstName: 'Gareth',
      lastName: 'Formerpupil',
      dateOfBirth: '1995-03-10',
    });
    await factory.concern(pupil, recorder, { summary: 'Words that must go' });
    pupilId = pupil.id;
  });

  afterAll(() => harness?.close());

  it('is proposed by the DSP and approved by the LA lead', async () => {
    const { context: dspContext, page: dsp } = await signedInPage(harness, DSP);
    await dsp.getByRole('link', { name: 'Retention review' }).click();
    await dsp.waitForURL(/\/retention$/);
    expect(await axeViolations(dsp)).toEqual([]);
    await dsp.getByRole('link', { name: 'Gareth Formerpupil' }).click();
    await dsp.waitForURL(new RegExp(`/pupils/${pupilId}/retention$`));
    expect(await dsp.locator('.govuk-warning-text').textContent()).toContain('Disposal cannot be undone');
    await dsp.getByRole('button', { name: 'Propose disposal' }).click();
    await dsp.locator('.govuk-error-summary').waitFor();
    expect(await dsp.locator('.govuk-error-summary').textContent()).toContain('Enter a reason');
    expect(await axeViolations(dsp)).toEqual([]);
    await dsp.getByLabel('Why these records can be disposed of').fill('Reviewed at 25: no open matters');
    await dsp.getByRole('button', { name: 'Propose disposal' }).click();
    await dsp.getByText('Disposal proposed by').waitFor();
    expect(await dsp.getByRole('button', { name: 'Approve disposal' }).count()).toBe(0);
    expect(await axeViolations(dsp)).toEqual([]);

    const { context: leadContext, page: lead } = await signedInPage(harness, LEAD);
    await lead.getByRole('link', { name: 'Retention review' }).click();
    await lead.getByRole('link', { name: 'Gareth Formerpupil' }).click();
    // A tired reviewer presses the red button without reading: told to confirm, and nothing is disposed of.
    await lead.getByRole('button', { name: 'Approve disposal' }).click();
    await lead.locator('.govuk-error-summary').waitFor();
    expect(await lead.locator('.govuk-error-summary').textContent()).toContain('Tick the box to confirm');
    expect(await lead.locator('#tombstone').count()).toBe(0);
    expect(await axeViolations(lead)).toEqual([]);
    await lead.getByLabel('I understand that this removes the content of these records for good').check();
    await lead.getByRole('button', { name: 'Approve disposal' }).click();
    await lead.locator('#tombstone').waitFor();
    expect(await lead.locator('#tombstone').textContent()).toContain('Concerns: 1');
    expect(await axeViolations(lead)).toEqual([]);

    await dsp.reload();
    expect(await dsp.locator('#tombstone').textContent()).toContain('Reviewed at 25: no open matters');
    expect(await dsp.content()).not.toContain('Words that must go');
    await dspContext.close();
    await leadContext.close();
  });
});
