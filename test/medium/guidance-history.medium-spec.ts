import { Actor } from '../../src/common/actor';
import { GuidanceSettings } from '../../src/guidance/directory/guidance-settings.entity';
import { DirectoryService } from '../../src/guidance/directory/directory.service';
import { ServiceDirectoryEntryRecord } from '../../src/guidance/directory/service-directory-entry.entity';
import { GuidanceService, GuidanceSubject } from '../../src/guidance/guidance.service';
import { Organisation } from '../../src/organisations/organisation.entity';
import { Pupil } from '../../src/school/pupil.entity';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';

const DAY = 24 * 3600 * 1000;

/** The guidance's history triggers, computed from what is stored for the pupil on a real database. */
describe(`${GuidanceService.name} (history from the database)`, () => {
  let testApp: TestApp;
  let guidance: GuidanceService;
  let factory: Factory;
  let la: Organisation;
  let school: Organisation;
  let dsp: Actor;
  let mash: Actor;
  const T = new Date('2026-11-20T12:00:00.000Z');

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    guidance = testApp.app.get(GuidanceService);
    factory = new Factory(testApp.dataSource);
    la = await factory.localAuthority();
    school = await factory.school(la);
    dsp = await factory.actor(school, 'dsp');
    mash = await factory.actor(la, 'la_mash');
  });

  afterAll(() => testApp.close());

  const draftFor = (pupil: Pupil, overrides: Partial<GuidanceSubject> = {}): GuidanceSubject => ({
    category: 'wellbeing',
    issues: ['attendance'],
    indicators: [],
    occurredAt: T,
    reasonableCause: null,
    pupilId: pupil.id,
    concernId: null,
    localAuthorityId: la.id,
    ...overrides,
  });
  const evaluate = (subject: GuidanceSubject, actor: Actor = dsp) =>
    guidance.evaluate(testApp.dataSource.manager, actor, subject);
  const triggerCodes = async (subject: GuidanceSubject) => (await evaluate(subject)).triggers.map((t) => t.code);

  it('raises a level-2 concern to early help when the pupil had two other concerns in the last 30 days', async () => {
    const pupil = await factory.pupil(school);
    await factory.concern(pupil, dsp, { occurredAt: new Date(T.getTime() - 3 * DAY) });
    expect(await evaluate(draftFor(pupil))).toMatchObject({ level: 2, triggers: [] });
    await factory.concern(pupil, dsp, { occurredAt: new Date(T.getTime() - 30 * DAY) });
    const answer = await evaluate(draftFor(pupil));
    expect(answer.level).toBe(3);
    expect(answer.triggers.map((t) => t.code)).toEqual(['pattern_frequency']);
  });

  it("counts neither another pupil's concerns nor the concern being evaluated, nor anything after T", async () => {
    const pupil = await factory.pupil(school);
    const sibling = await factory.pupil(school);
    await factory.concern(sibling, dsp, { occurredAt: new Date(T.getTime() - DAY) });
    await factory.concern(sibling, dsp, { occurredAt: new Date(T.getTime() - 2 * DAY) });
    const own = await factory.concern(pupil, dsp, { occurredAt: T });
    await factory.concern(pupil, dsp, { occurredAt: new Date(T.getTime() - DAY) });
    await factory.concern(pupil, dsp, { occurredAt: new Date(T.getTime() + DAY) });
    expect(await triggerCodes(draftFor(pupil, { concernId: own.id }))).toEqual([]);
  });

  it("notices two different kinds of harm within 90 days, counting this concern's own category", async () => {
    const pupil = await factory.pupil(school);
    await factory.concern(pupil, dsp, { occurredAt: new Date(T.getTime() - 80 * DAY), category: 'neglect' });
    expect(await triggerCodes(draftFor(pupil, { category: 'emotional', issues: [] }))).toContain('pattern_categories');
    expect(await triggerCodes(draftFor(pupil, { category: 'wellbeing', issues: [] }))).not.toContain(
      'pattern_categories',
    );
  });

  it('asks for a chronology review after MASH closed a referral in the last 12 months', async () => {
    const pupil = await factory.pupil(school);
    const earlier = await factory.concern(pupil, dsp, { occurredAt: new Date(T.getTime() - 200 * DAY) });
    const referral = await factory.escalation(earlier, dsp, { sentAt: new Date(T.getTime() - 199 * DAY) });
    await factory.outcome(referral, mash, {
      outcome: 'no_further_action',
      decidedAt: new Date(T.getTime() - 198 * DAY),
    });
    const answer = await evaluate(draftFor(pupil));
    expect(answer.triggers.map((t) => t.code)).toContain('after_mash_closure');
    expect(answer.chronologyReviewAdvised).toBe(true);
    expect(answer.level).toBe(3);
  });

  it('treats a third MASH referral in a year as statutory, and asks for a strategy discussion', async () => {
    const pupil = await factory.pupil(school);
    for (const daysAgo of [100, 50]) {
      const concern = await factory.concern(pupil, dsp, { occurredAt: new Date(T.getTime() - daysAgo * DAY) });
      await factory.escalation(concern, dsp, { sentAt: new Date(T.getTime() - daysAgo * DAY) });
    }
    const answer = await evaluate(draftFor(pupil));
    expect(answer.level).toBe(4);
    expect(answer.route).toBe('mash');
    expect(answer.triggers.map((t) => t.code)).toContain('repeat_mash');
  });

  it("does not count the concern's own MASH referrals towards repeat referrals", async () => {
    const pupil = await factory.pupil(school);
    const concern = await factory.concern(pupil, dsp, { occurredAt: T });
    await factory.escalation(concern, dsp, { sentAt: T });
    await factory.escalation(concern, dsp, { sentAt: T });
    expect(await triggerCodes(draftFor(pupil, { concernId: concern.id }))).not.toContain('repeat_mash');
  });

  it('counts no history for those who may not read the chronology (staff, the MASH team), so it reveals none', async () => {
    const pupil = await factory.pupil(school);
    const teacher = await factory.actor(school, 'staff');
    const earlier = await factory.concern(pupil, dsp, { occurredAt: new Date(T.getTime() - DAY), category: 'sexual' });
    await factory.concern(pupil, dsp, { occurredAt: new Date(T.getTime() - 2 * DAY), category: 'physical' });
    const referral = await factory.escalation(earlier, dsp, { sentAt: new Date(T.getTime() - DAY) });
    await factory.outcome(referral, mash, { outcome: 'no_further_action', decidedAt: new Date(T.getTime() - DAY) });
    expect((await evaluate(draftFor(pupil), dsp)).triggers.length).toBeGreaterThan(0);
    for (const reader of [teacher, mash]) {
      const answer = await evaluate(draftFor(pupil), reader);
      expect(answer).toMatchObject({ level: 2, triggers: [], chronologyReviewAdvised: false });
    }
  });

  it("uses the local authority's own thresholds and directory once it has them", async () => {
    const pupil = await factory.pupil(school);
    await factory.concern(pupil, dsp, { occurredAt: new Date(T.getTime() - DAY) });
    await factory.concern(pupil, dsp, { occurredAt: new Date(T.getTime() - 2 * DAY) });
    expect(await triggerCodes(draftFor(pupil))).toContain('pattern_frequency');
    await testApp.dataSource.getRepository(GuidanceSettings).insert({
      localAuthorityId: la.id,
      thresholds: { patternFrequencyCount: 3 },
      updatedAt: new Date(),
      updatedByName: 'Lead',
    });
    expect(await triggerCodes(draftFor(pupil))).not.toContain('pattern_frequency');

    const withDefaults = (await evaluate(draftFor(pupil, { issues: ['bullying'] }))).services.map((s) => s.code);
    expect(withDefaults).toContain('elsa');
    await testApp.app.get(DirectoryService).seedDefaults(testApp.dataSource.manager, la.id, 'Lead');
    await testApp.dataSource
      .getRepository(ServiceDirectoryEntryRecord)
      .update({ localAuthorityId: la.id, code: 'elsa' }, { active: false });
    expect((await evaluate(draftFor(pupil, { issues: ['bullying'] }))).services.map((s) => s.code)).not.toContain(
      'elsa',
    );
  });
});
