import { Actor } from '../../src/common/actor';
import { ConcernDecision } from '../../src/dsp/concerns/concern-decision.entity';
import { ConcernsService } from '../../src/dsp/concerns/concerns.service';
import { RecordDecisionDto } from '../../src/dsp/concerns/dto/decision.dto';
import { RecordConcernDto } from '../../src/dsp/concerns/dto/record-concern.dto';
import { DspWorklistReader } from '../../src/dsp/dsp-worklist';
import { SendEscalationDto } from '../../src/dsp/escalations/dto/send-escalation.dto';
import { Escalation } from '../../src/dsp/escalations/escalation.entity';
import { EscalationsService } from '../../src/dsp/escalations/escalations.service';
import { Organisation } from '../../src/organisations/organisation.entity';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';

const REASON = 'The family are already working with the social worker on this.';

/**
 * Issue 8: a decision carries the threshold judgement and is flagged only when it goes BELOW the
 * guidance; referrals keep below/above; staff may report when no DSP can be reached; the DSP's
 * dashboard sections show each state from the right moment and drop it at the right moment.
 */
describe('Decisions, referrals and the DSP dashboard against the guidance', () => {
  let testApp: TestApp;
  let factory: Factory;
  let concerns: ConcernsService;
  let escalations: EscalationsService;
  let worklist: DspWorklistReader;
  const orgs = {} as Record<'la' | 'school' | 'otherSchool', Organisation>;
  const people = {} as Record<'dsp' | 'teacher' | 'otherTeacher' | 'head', Actor>;

  const LEVEL = {
    1: { category: 'wellbeing' },
    2: { category: 'wellbeing', issues: ['bullying'] },
    3: { category: 'wellbeing', issues: ['self_harm'] },
    4: { category: 'wellbeing', indicators: ['disclosure_of_abuse'] },
    0: { category: 'wellbeing', indicators: ['suicidal_intent'] },
  } as const satisfies Record<number, Partial<RecordConcernDto>>;

  /** A concern about a fresh pupil (no history), recorded by `recorder`. */
  const concernWith = async (fields: Partial<RecordConcernDto>, recorder = people.teacher) => {
    const pupil = await factory.pupil(orgs.school);
    return concerns.record(recorder, {
      pupilId: pupil.id,
      occurredAt: new Date(Date.now() - 3600 * 1000).toISOString(),
      category: 'wellbeing',
      summary: 'What was seen',
      evidenceBasis: 'observed',
      ...fields,
    });
  };
  const decide = (concernId: string, dto: Partial<RecordDecisionDto>) =>
    concerns.decide(people.dsp, concernId, { outcome: 'monitor', rationale: `Why ${Math.random()}`, ...dto });
  const decisionCount = (concernId: string) =>
    testApp.dataSource.getRepository(ConcernDecision).count({ where: { concernId } });
  const mash = (overrides: Partial<SendEscalationDto> = {}): SendEscalationDto => ({
    route: 'mash',
    consent: { sought: false, reasonNotSought: 'The parent is the alleged abuser' },
    ...overrides,
  });
  const ids = (section: { items: Array<{ concernId: string }> }) => section.items.map((item) => item.concernId);

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    factory = new Factory(testApp.dataSource);
    concerns = testApp.app.get(ConcernsService);
    escalations = testApp.app.get(EscalationsService);
    worklist = testApp.app.get(DspWorklistReader);
    orgs.la = await factory.localAuthority();
    orgs.school = await factory.school(orgs.la);
    orgs.otherSchool = await factory.school(orgs.la);
    people.dsp = await factory.actor(orgs.school, 'dsp');
    people.head = await factory.actor(orgs.school, 'head_teacher');
    people.teacher = await factory.actor(orgs.school, 'staff', { name: 'Ceri Jones' });
    people.otherTeacher = await factory.actor(orgs.otherSchool, 'staff');
  });

  afterAll(() => testApp.close());

  describe('a decision', () => {
    it('records the threshold judgement and a route at the guidance as not below it', async () => {
      const concern = await concernWith(LEVEL[2]);
      const decision = await decide(concern.id, { outcome: 'school_support', reasonableCause: 'no' });
      expect(decision).toMatchObject({ outcome: 'school_support', reasonableCause: 'no', belowGuidance: false });
    });

    it('flags monitor after "yes" (reasonable cause to suspect) as below the guidance, and needs a reason of 20 characters', async () => {
      const concern = await concernWith(LEVEL[2]);
      await expect(decide(concern.id, { outcome: 'monitor', reasonableCause: 'yes' })).rejects.toMatchObject({
        code: 'rule_broken',
        rule: 'reason_required_below_guidance',
        errors: { reasonForRoute: [expect.stringContaining('20 characters')] },
      });
      await expect(
        decide(concern.id, { outcome: 'monitor', reasonableCause: 'yes', reasonForRoute: '   nineteen chars   ' }),
      ).rejects.toMatchObject({ rule: 'reason_required_below_guidance' });
      expect(await decisionCount(concern.id)).toBe(0);
      const decision = await decide(concern.id, { outcome: 'monitor', reasonableCause: 'yes', reasonForRoute: REASON });
      expect(decision).toMatchObject({ belowGuidance: true, reasonableCause: 'yes', reasonForRoute: REASON });
      const stored = await testApp.dataSource.getRepository(ConcernDecision).findOneByOrFail({ id: decision.id });
      expect(stored).toMatchObject({ belowGuidance: true, guidanceLevel: 4, guidanceRoute: 'mash' });
    });

    it('refuses monitor on a suicidal-intent (level 0) concern without a reason (422 reasonForRoute)', async () => {
      const concern = await concernWith(LEVEL[0]);
      await expect(decide(concern.id, { outcome: 'monitor' })).rejects.toMatchObject({
        code: 'rule_broken',
        errors: { reasonForRoute: [expect.any(String)] },
      });
      expect(await decisionCount(concern.id)).toBe(0);
    });

    it('never flags going up: MASH on a level-1 concern needs no reason and is not below the guidance', async () => {
      const concern = await concernWith(LEVEL[1]);
      const decision = await decide(concern.id, { outcome: 'mash', reasonableCause: 'unsure' });
      expect(decision).toMatchObject({ outcome: 'mash', belowGuidance: false, reasonForRoute: null });
    });

    it('judges a decision with no answer by the concern’s latest answered judgement', async () => {
      const concern = await concernWith(LEVEL[2]);
      await decide(concern.id, { outcome: 'mash', reasonableCause: 'yes' });
      await expect(decide(concern.id, { outcome: 'school_support' })).rejects.toMatchObject({
        rule: 'reason_required_below_guidance',
      });
      const detail = await concerns.get(people.dsp, concern.id);
      expect(detail.guidance.level).toBe(4);
    });

    it('answers the same outcome and rationale again within a minute with the decision already made', async () => {
      const concern = await concernWith(LEVEL[1]);
      const dto = { outcome: 'monitor' as const, rationale: 'Watch at lunchtimes', reasonableCause: 'no' as const };
      const first = await concerns.decide(people.dsp, concern.id, dto);
      const again = await concerns.decide(people.dsp, concern.id, dto);
      expect(again.id).toBe(first.id);
      expect(await decisionCount(concern.id)).toBe(1);
      // A different rationale is a new decision.
      await concerns.decide(people.dsp, concern.id, { ...dto, rationale: 'Something new happened' });
      expect(await decisionCount(concern.id)).toBe(2);
    });

    it('never swallows a correction: a move back to MASH, or a changed threshold judgement, is a new decision', async () => {
      const concern = await concernWith(LEVEL[4]);
      const toMash = { outcome: 'mash' as const, rationale: 'Refer today', reasonableCause: 'yes' as const };
      await concerns.decide(people.dsp, concern.id, toMash);
      await concerns.decide(people.dsp, concern.id, {
        outcome: 'monitor',
        rationale: 'Spoke to MASH',
        reasonableCause: 'no',
        reasonForRoute: 'MASH consultation advised monitoring for now',
      });
      // Back to MASH with the very same words as the first decision, within the minute: recorded, and current.
      const back = await concerns.decide(people.dsp, concern.id, toMash);
      expect(await decisionCount(concern.id)).toBe(3);
      const detail = await concerns.get(people.dsp, concern.id);
      expect(detail.decisions.at(-1)).toMatchObject({ id: back.id, outcome: 'mash', belowGuidance: false });

      // The same outcome and words with "yes" instead of "no" is a new decision, judged with "yes".
      const level3 = await concernWith(LEVEL[3]);
      const monitor = { outcome: 'monitor' as const, rationale: 'Watching', reasonableCause: 'no' as const };
      await concerns.decide(people.dsp, level3.id, monitor);
      await expect(
        concerns.decide(people.dsp, level3.id, { ...monitor, reasonableCause: 'yes' }),
      ).rejects.toMatchObject({
        rule: 'reason_required_below_guidance',
      });
    });
  });

  describe('a referral', () => {
    it('is not labelled for going up (MASH over early help): aboveGuidance for the figures, againstRecommendation false', async () => {
      const concern = await concernWith(LEVEL[3]);
      const sent = await escalations.send(people.dsp, concern.id, mash({ reasonableCause: 'unsure' }));
      expect(sent).toMatchObject({ againstRecommendation: false, aboveGuidance: true, reasonableCause: 'unsure' });
    });

    it('is below the guidance for early help on a level-4 concern, with a reason', async () => {
      const concern = await concernWith(LEVEL[4]);
      const earlyHelp: SendEscalationDto = {
        route: 'early_help',
        consent: { sought: true, given: true, givenBy: 'Mother' },
      };
      await expect(escalations.send(people.dsp, concern.id, earlyHelp)).rejects.toMatchObject({
        errors: { reasonForRoute: [expect.any(String)] },
      });
      const sent = await escalations.send(people.dsp, concern.id, { ...earlyHelp, reasonForRoute: REASON });
      expect(sent).toMatchObject({ againstRecommendation: true, aboveGuidance: false });
    });

    it('is neither below nor above for MASH on a level-4 concern', async () => {
      const concern = await concernWith(LEVEL[4]);
      expect(await escalations.send(people.dsp, concern.id, mash())).toMatchObject({
        againstRecommendation: false,
        aboveGuidance: false,
      });
    });
  });

  describe('a member of staff reporting when no DSP can be reached', () => {
    it('is 403 without dspUnavailable', async () => {
      const concern = await concernWith(LEVEL[4]);
      await expect(escalations.send(people.teacher, concern.id, mash())).rejects.toMatchObject({ code: 'forbidden' });
    });

    it('sends to MASH with dspUnavailable (201), flagged for the DSPs', async () => {
      const concern = await concernWith(LEVEL[4]);
      const sent = await escalations.send(people.teacher, concern.id, mash({ dspUnavailable: true }));
      expect(sent).toMatchObject({ route: 'mash', dspUnavailable: true, sentBy: { name: 'Ceri Jones' } });
    });

    it("never takes a threshold judgement from staff: it is the DSP's alone, and cannot lower the recorded guidance", async () => {
      const concern = await concernWith({ category: 'physical' });
      const sent = await escalations.send(
        people.teacher,
        concern.id,
        mash({ dspUnavailable: true, reasonableCause: 'no' }),
      );
      expect(sent).toMatchObject({
        reasonableCause: null,
        recommendedLevel: 4,
        recommendedRoute: 'mash',
        aboveGuidance: false,
        againstRecommendation: false,
      });
    });

    it('is 422 on route for early help or the designated officer, storing nothing', async () => {
      const concern = await concernWith(LEVEL[4]);
      for (const route of ['early_help', 'designated_officer'] as const) {
        await expect(
          escalations.send(people.teacher, concern.id, {
            route,
            dspUnavailable: true,
            consent: { sought: true, given: true, givenBy: 'Mother' },
          }),
        ).rejects.toMatchObject({
          code: 'rule_broken',
          rule: 'dsp_unavailable_route',
          errors: { route: expect.any(Array) },
        });
      }
      expect(await testApp.dataSource.getRepository(Escalation).count({ where: { concernId: concern.id } })).toBe(0);
    });

    it('is 404 for a concern the member of staff may not see (another school’s, or a colleague’s)', async () => {
      const concern = await concernWith(LEVEL[4]);
      await expect(
        escalations.send(people.otherTeacher, concern.id, mash({ dspUnavailable: true })),
      ).rejects.toMatchObject({ code: 'not_found' });
      const colleague = await factory.actor(orgs.school, 'staff');
      await expect(escalations.send(colleague, concern.id, mash({ dspUnavailable: true }))).rejects.toMatchObject({
        code: 'not_found',
      });
    });
  });

  describe("the DSP's dashboard", () => {
    const now = () => worklist.forActor(people.dsp);

    it('lists a decision to refer until the referral is sent on that route (for the police, MASH counts)', async () => {
      const concern = await concernWith(LEVEL[4]);
      expect(ids((await now()).notSent)).not.toContain(concern.id);
      await decide(concern.id, { outcome: 'police', reasonableCause: 'yes' });
      const before = await now();
      expect(ids(before.notSent)).toContain(concern.id);
      await escalations.send(people.dsp, concern.id, mash());
      const after = await now();
      expect(ids(after.notSent)).not.toContain(concern.id);
      expect(after.notSent.total).toBe(before.notSent.total - 1);
    });

    it('lists a phoned report as "confirm in writing by" 24 hours after the call, overdue after that, until it is sent', async () => {
      const concern = await concernWith(LEVEL[4]);
      const phonedAt = new Date(Date.now() - 25 * 3600 * 1000).toISOString();
      await decide(concern.id, { outcome: 'mash', reasonableCause: 'yes', phonedAt });
      const listed = await now();
      expect(ids(listed.notSent)).not.toContain(concern.id);
      const item = listed.phoned.items.find((i) => i.concernId === concern.id);
      expect(item).toMatchObject({
        phonedAt,
        confirmBy: new Date(Date.parse(phonedAt) + 24 * 3600 * 1000).toISOString(),
        confirmOverdue: true,
      });
      await escalations.send(people.dsp, concern.id, mash());
      expect(ids((await now()).phoned)).not.toContain(concern.id);
    });

    it('keeps a decision below the guidance until the concern is closed', async () => {
      const concern = await concernWith(LEVEL[0]);
      await decide(concern.id, { outcome: 'monitor', reasonableCause: 'no', reasonForRoute: REASON });
      const listed = (await now()).below.items.find((i) => i.concernId === concern.id);
      expect(listed).toMatchObject({ outcome: 'monitor', guidanceRoute: 'police', reasonForRoute: REASON });
      await concerns.close(people.dsp, concern.id, { rationale: 'Resolved with the family' });
      expect(ids((await now()).below)).not.toContain(concern.id);
    });

    it('lists a referral nobody acknowledged after 7 working days (not after 6), and drops it once acknowledged', async () => {
      const concern = await factory.concern(await factory.pupil(orgs.school), people.teacher);
      const now = new Date();
      const cutoff = worklist.chaseCutoff(now);
      const old = await factory.escalation(concern, people.dsp, {
        route: 'mash',
        sentAt: new Date(cutoff.getTime() - 1000),
      });
      const recent = await factory.escalation(concern, people.dsp, {
        route: 'early_help',
        sentAt: new Date(cutoff.getTime() + 60_000),
      });
      const list = await worklist.forActor(people.dsp, {}, now);
      const chased = list.chase.items.map((i) => i.escalationId);
      expect(chased).toContain(old.id);
      expect(chased).not.toContain(recent.id);
      const mashOfficer = await factory.actor(orgs.la, 'la_mash');
      await factory.acknowledgement(old, mashOfficer);
      expect((await worklist.forActor(people.dsp, {}, now)).chase.items.map((i) => i.escalationId)).not.toContain(
        old.id,
      );
    });

    it('shows a staff report at once, by name, until a DSP records a decision on the concern', async () => {
      const concern = await concernWith(LEVEL[4]);
      await escalations.send(
        people.teacher,
        concern.id,
        mash({ dspUnavailable: true, reasonForRoute: 'DSP off site' }),
      );
      const item = (await now()).staffReports.items.find((i) => i.concernId === concern.id);
      expect(item).toMatchObject({ route: 'mash', sentBy: { name: 'Ceri Jones' }, reasonForRoute: 'DSP off site' });
      await decide(concern.id, { outcome: 'mash', reasonableCause: 'yes' });
      expect(ids((await now()).staffReports)).not.toContain(concern.id);
    });

    it('puts emergencies first in the triage queue, then the oldest, with a true count', async () => {
      const school = await factory.school(orgs.la);
      const dsp = await factory.actor(school, 'dsp');
      const pupil = await factory.pupil(school);
      const hour = 3600 * 1000;
      const oldest = await factory.concern(pupil, dsp, { recordedAt: new Date(Date.now() - 5 * hour) });
      const emergency = await factory.concern(pupil, dsp, {
        recordedAt: new Date(Date.now() - hour),
        indicators: ['suicidal_intent'],
      });
      const middle = await factory.concern(pupil, dsp, { recordedAt: new Date(Date.now() - 3 * hour) });
      for (let n = 0; n < 10; n += 1)
        await factory.concern(pupil, dsp, { recordedAt: new Date(Date.now() - 2 * hour) });
      const list = await worklist.forActor(dsp);
      expect(list.queue.total).toBe(13);
      expect(list.emergencies).toBe(1);
      expect(list.queue.items).toHaveLength(10);
      expect(list.queue.items.slice(0, 3).map((i) => i.concernId)).toEqual([emergency.id, oldest.id, middle.id]);
      const second = await worklist.forActor(dsp, { queue: 2 });
      expect(second.queue.items).toHaveLength(3);
      await factory.decision(emergency, dsp);
      const after = await worklist.forActor(dsp);
      expect(after.emergencies).toBe(0);
      expect(after.queue.items[0].concernId).toBe(oldest.id);
    });
  });
});
