import { Actor } from '../../src/common/actor';
import { EscalationStatus } from '../../src/dsp/escalations/referral-status';
import { projectReferralStates } from '../../src/dsp/escalations/referral-state-projection';
import { ConcernsService } from '../../src/dsp/concerns/concerns.service';
import { RecordConcernDto } from '../../src/dsp/concerns/dto/record-concern.dto';
import { SendEscalationDto } from '../../src/dsp/escalations/dto/send-escalation.dto';
import { ConcernAmendmentsService } from '../../src/dsp/concerns/concern-amendments.service';
import { Escalation } from '../../src/dsp/escalations/escalation.entity';
import { EscalationsService } from '../../src/dsp/escalations/escalations.service';
import { DirectoryAdminService } from '../../src/guidance/directory/directory-admin.service';
import { InboxService } from '../../src/local-authority/inbox.service';
import { Organisation } from '../../src/organisations/organisation.entity';
import { Pupil } from '../../src/school/pupil.entity';
import { ChronologyService } from '../../src/chronology/chronology.service';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';
import { setClock } from '../support/clock';

const GUIDANCE_KEYS = ['recommendedLevel', 'recommendedRoute', 'againstRecommendation', 'aboveGuidance'];

describe('What the receiving team sees of a referral, and when it is due', () => {
  let testApp: TestApp;
  let factory: Factory;
  let concerns: ConcernsService;
  let escalations: EscalationsService;
  let inbox: InboxService;
  /** The first page of the team's inbox, as large as a page may be (the tests here hold fewer referrals). */
  const listInbox = async (actor: Actor, status?: EscalationStatus) =>
    (await inbox.page(actor, { status, pageSize: 200 })).items;
  let chronology: ChronologyService;
  let la: Organisation;
  let school: Organisation;
  const people = {} as Record<'dsp' | 'mash' | 'earlyHelp' | 'head' | 'lead', Actor>;

  const concernAbout = async (pupil: Pupil, fields: Partial<RecordConcernDto> = {}) =>
    concerns.record(people.dsp, {
      pupilId: pupil.id,
      occurredAt: new Date(Date.now() - 3600 * 1000).toISOString(),
      category: 'physical',
      summary: 'A bruise on the upper left arm; the explanation does not fit.',
      evidenceBasis: 'observed',
      ...fields,
    });
  const mash = (overrides: Partial<SendEscalationDto> = {}): SendEscalationDto => ({
    route: 'mash',
    // Accepted whatever the guidance said, so these tests do not depend on the engine's levels.
    reasonForRoute: 'The explanation given does not fit the injury we saw.',
    consent: {
      sought: false,
      reasonNotSought: 'The mother is the alleged abuser; asking would put the child at risk.',
    },
    ...overrides,
  });

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    factory = new Factory(testApp.dataSource);
    concerns = testApp.app.get(ConcernsService);
    escalations = testApp.app.get(EscalationsService);
    inbox = testApp.app.get(InboxService);
    chronology = testApp.app.get(ChronologyService);
    la = await factory.localAuthority();
    school = await factory.school(la, { name: 'Ysgol y Wern' });
    people.dsp = await factory.actor(school, 'dsp', { name: 'Siân DSP' });
    people.head = await factory.actor(school, 'head_teacher');
    people.mash = await factory.actor(la, 'la_mash', { name: 'Bethan MASH' });
    people.earlyHelp = await factory.actor(la, 'la_early_help');
    people.lead = await factory.actor(la, 'la_lead');
  });

  afterEach(() => jest.useRealTimers());
  afterAll(() => testApp.close());

  describe('the referral as MASH reads it', () => {
    let referralId = '';
    let pupil: Pupil;

    beforeAll(async () => {
      pupil = await factory.pupil(school, {
        homeLanguage: 'Polish',
        lookedAfter: true,
        cpRegister: true,
        eal: true,
        welshSpeaker: false,
      });
      const concern = await concernAbout(pupil, {
        actionTaken: 'Photographed nothing; told the DSP at once.',
        bodyMap: [{ view: 'front', x: 0.76, y: 0.35, note: 'Four finger-shaped bruises' }],
      });
      await concerns.decide(people.dsp, concern.id, {
        outcome: 'mash',
        rationale: 'Implausible explanation for a patterned bruise on a five-year-old.',
      });
      const sent = await escalations.send(
        people.dsp,
        concern.id,
        mash({
          referral: { familyLanguage: 'Polish; the father speaks some English', communicationNeeds: 'Interpreter' },
        }),
      );
      referralId = sent.id;
      // The threshold judgement travels with the referral (the DSP answered yes).
      await testApp.dataSource.getRepository(Escalation).update(referralId, { reasonableCause: 'yes' });
    });

    it('carries the concern with its body map and action taken, the rationale and the threshold judgement', async () => {
      const referral = await inbox.get(people.mash, referralId);
      expect(referral.concern).toMatchObject({
        category: 'physical',
        actionTaken: 'Photographed nothing; told the DSP at once.',
        bodyMap: [{ view: 'front', x: 0.76, y: 0.35, note: 'Four finger-shaped bruises' }],
      });
      expect(referral.decision).toMatchObject({
        outcome: 'mash',
        rationale: 'Implausible explanation for a patterned bruise on a five-year-old.',
        by: { name: 'Siân DSP', role: 'dsp' },
      });
      expect(referral.reasonableCause).toBe('yes');
    });

    it('shows the concern as it was sent, and a DSP’s correction since beside it, never in its place', async () => {
      const sentVersion = await inbox.get(people.mash, referralId);
      await testApp.app.get(ConcernAmendmentsService).amend(people.dsp, sentVersion.concern.id, {
        field: 'summary',
        value: 'Four finger-shaped bruises on the upper left arm; the explanation does not fit.',
        reason: 'The summary left out the shape of the bruises',
      });
      const referral = await inbox.get(people.mash, referralId);
      expect(referral.concern.summary).toBe('A bruise on the upper left arm; the explanation does not fit.');
      expect(referral.concern.correctedSinceSent).toEqual([
        expect.objectContaining({
          field: 'summary',
          previous: 'A bruise on the upper left arm; the explanation does not fit.',
          value: 'Four finger-shaped bruises on the upper left arm; the explanation does not fit.',
          reason: 'The summary left out the shape of the bruises',
          by: { name: 'Siân DSP', role: 'dsp' },
        }),
      ]);
    });

    it("carries the pupil's flags, home language, the family's language and whether the child speaks Welsh", async () => {
      const referral = await inbox.get(people.mash, referralId);
      expect(referral.pupil).toMatchObject({
        homeLanguage: 'Polish',
        flags: ['looked_after', 'cp_register', 'eal'],
        speaksWelsh: false,
      });
      expect(referral.referral).toMatchObject({ familyLanguage: 'Polish; the father speaks some English' });
      expect(referral.consent).toMatchObject({
        sought: false,
        reasonNotSought: expect.stringContaining('alleged abuser'),
      });
    });

    it('says nothing about the guidance, on the inbox API, the referral API and the answers to acknowledge', async () => {
      const referral = await inbox.get(people.mash, referralId);
      const viaEscalations = await escalations.get(people.mash, referralId);
      const [item] = (await listInbox(people.mash)).filter((i) => i.id === referralId);
      const viaConcern = (await concerns.get(people.mash, referral.concern.id)).escalations.find(
        (escalation) => escalation.id === referralId,
      )!;
      expect(viaConcern).toBeDefined();
      for (const answer of [referral, viaEscalations, item, viaConcern])
        for (const key of GUIDANCE_KEYS) expect(Object.keys(answer)).not.toContain(key);
      const acknowledged = await inbox.acknowledge(people.mash, referralId);
      for (const key of GUIDANCE_KEYS) expect(Object.keys(acknowledged)).not.toContain(key);
      // The school still reads what the guidance said when it sent it.
      expect(await escalations.get(people.dsp, referralId)).toMatchObject({ recommendedLevel: expect.any(Number) });
      expect(
        (await concerns.get(people.dsp, referral.concern.id)).escalations.find((e) => e.id === referralId),
      ).toMatchObject({ recommendedLevel: expect.any(Number), aboveGuidance: expect.any(Boolean) });
    });
  });

  describe('the inbox', () => {
    it('shows each referral with its category, and an emergency (suicidal intent) as one', async () => {
      const pupil = await factory.pupil(school);
      const concern = await concernAbout(pupil, { category: 'wellbeing', indicators: ['suicidal_intent'] });
      const sent = await escalations.send(people.dsp, concern.id, mash());
      const ordinary = await escalations.send(
        people.dsp,
        (await concernAbout(await factory.pupil(school), { category: 'neglect' })).id,
        mash(),
      );
      const items = await listInbox(people.mash);
      expect(items.find((i) => i.id === sent.id)).toMatchObject({
        category: 'wellbeing',
        emergency: true,
        indicators: ['suicidal_intent'],
      });
      expect(items.find((i) => i.id === ordinary.id)).toMatchObject({ category: 'neglect', emergency: false });
    });
  });

  describe('paging', () => {
    it('pages the inbox with true totals, still to decide oldest first, every referral reachable', async () => {
      const otherLa = await factory.localAuthority();
      const otherSchool = await factory.school(otherLa);
      const dsp = await factory.actor(otherSchool, 'dsp');
      const team = await factory.actor(otherLa, 'la_mash');
      const ids: string[] = [];
      for (let n = 0; n < 3; n += 1) {
        const pupil = await factory.pupil(otherSchool);
        const concern = await concerns.record(dsp, {
          pupilId: pupil.id,
          occurredAt: new Date(Date.now() - 3600 * 1000).toISOString(),
          category: 'neglect',
          summary: `Referral ${n}`,
          evidenceBasis: 'observed',
        });
        ids.push((await escalations.send(dsp, concern.id, mash())).id);
      }
      // The oldest one is long overdue (as if phoned the day before): it comes first, on page 1. The
      // row is changed in place here only to move its due time, so its stored state is rewritten too.
      await testApp.dataSource
        .getRepository(Escalation)
        .update(ids[0], { dueBy: new Date(Date.now() - 24 * 3600 * 1000) });
      await projectReferralStates(testApp.dataSource.manager, [ids[0]]);
      const first = await inbox.page(team, { pageSize: 2 });
      const second = await inbox.page(team, { pageSize: 2, page: 2 });
      expect(first).toMatchObject({ page: 1, pageSize: 2, total: 3, overdueTotal: 1 });
      expect(second).toMatchObject({ page: 2, pageSize: 2, total: 3, overdueTotal: 1 });
      expect(first.items.map((i) => i.id)).toEqual([ids[0], ids[1]]);
      expect(first.items[0]).toMatchObject({ overdue: true });
      expect(second.items.map((i) => i.id)).toEqual([ids[2]]);
      expect((await inbox.page(team, { status: 'decided' })).total).toBe(0);
    });
  });

  describe('a MASH redirect to early help', () => {
    it("says where it came from, carries the MASH note, hides the school's reason for not seeking consent, and is MASH's entry on the chronology", async () => {
      const pupil = await factory.pupil(school);
      // Bullying alone is level 2: the school's MASH referral goes above the guidance (for the figures only).
      const concern = await concernAbout(pupil, { category: 'wellbeing', issues: ['bullying'] });
      const sent = await escalations.send(people.dsp, concern.id, mash());
      expect(sent.aboveGuidance).toBe(true);
      const decided = await inbox.recordOutcome(people.mash, sent.id, {
        outcome: 'redirect_early_help',
        note: 'Family help fits: mother has agreed to a visit on Thursday.',
      });
      const earlyHelp = await inbox.get(people.earlyHelp, decided.earlyHelpEscalationId!);
      expect(earlyHelp).toMatchObject({
        route: 'early_help',
        organisation: { name: 'Ysgol y Wern' },
        redirect: {
          note: 'Family help fits: mother has agreed to a visit on Thursday.',
          by: { name: 'Bethan MASH', role: 'la_mash' },
        },
      });
      expect(earlyHelp.consent).not.toHaveProperty('reasonNotSought');
      expect(JSON.stringify(earlyHelp)).not.toContain('alleged abuser');
      expect(JSON.stringify(await escalations.get(people.earlyHelp, earlyHelp.id))).not.toContain('alleged abuser');

      const entries = (await chronology.forPupil(people.head, pupil.id)).entries;
      const redirectEntry = entries.find((e) => e.escalationId === earlyHelp.id);
      expect(redirectEntry).toMatchObject({ kind: 'escalation_sent', actor: { name: 'Bethan MASH', role: 'la_mash' } });
      // MASH's own routing: not "above" or "below" anything the school was shown, whatever the original was.
      expect(await escalations.get(people.dsp, earlyHelp.id)).toMatchObject({
        aboveGuidance: false,
        againstRecommendation: false,
        dspUnavailable: false,
      });
    });
  });

  describe('timescales', () => {
    it('counts the MASH clock from the phone call when the DSP phoned first', async () => {
      setClock('2026-11-23T14:15:00Z'); // Monday 14:15 GMT
      const concern = await concernAbout(await factory.pupil(school));
      const sent = await escalations.send(
        people.dsp,
        concern.id,
        mash({ referral: { phonedAt: '2026-11-23T09:40:00Z' } }),
      );
      expect(sent.dueBy).toBe('2026-11-24T09:40:00.000Z');
      const unphoned = await escalations.send(people.dsp, (await concernAbout(await factory.pupil(school))).id, mash());
      expect(unphoned.dueBy).toBe('2026-11-24T14:15:00.000Z');
    });

    it("gives early help the LA's response time: not overdue after one working day, overdue after five", async () => {
      setClock('2026-11-23T14:15:00Z');
      const concern = await concernAbout(await factory.pupil(school), { category: 'wellbeing' });
      const sent = await escalations.send(people.dsp, concern.id, {
        route: 'early_help',
        consent: { sought: true, given: true, givenBy: 'Mother' },
      });
      expect(sent.dueBy).toBe('2026-11-30T14:15:00.000Z');
      const overdue = async () => (await listInbox(people.earlyHelp)).find((i) => i.id === sent.id)!.overdue;

      setClock('2026-11-24T14:16:00Z'); // one working day and a minute later
      expect(await overdue()).toBe(false);
      expect((await inbox.get(people.earlyHelp, sent.id)).overdue).toBe(false);
      setClock('2026-11-30T14:16:00Z'); // five working days and a minute later
      expect(await overdue()).toBe(true);
      expect((await inbox.get(people.earlyHelp, sent.id)).overdue).toBe(true);
    });

    it("uses the LA's own early-help response time once its lead sets one (whole working days, 1 to 30)", async () => {
      const directory = testApp.app.get(DirectoryAdminService);
      for (const bad of [0, 31, 2.5, Number.NaN])
        await expect(directory.updateEarlyHelpResponseDays(people.lead, bad)).rejects.toMatchObject({
          code: 'invalid_input',
          errors: { earlyHelpResponseDays: expect.arrayContaining([expect.any(String)]) },
        });
      await expect(directory.updateEarlyHelpResponseDays(people.mash, 2)).rejects.toMatchObject({ code: 'forbidden' });
      expect((await directory.overview(people.lead)).earlyHelpResponseDays).toMatchObject({ value: 5 });
      await directory.updateEarlyHelpResponseDays(people.lead, 2);
      expect((await directory.overview(people.lead)).earlyHelpResponseDays).toMatchObject({ value: 2 });
      // The history thresholds are untouched by it.
      expect((await directory.overview(people.lead)).thresholds.every((t) => t.value === t.defaultValue)).toBe(true);

      setClock('2026-11-23T14:15:00Z');
      const concern = await concernAbout(await factory.pupil(school), { category: 'wellbeing' });
      const sent = await escalations.send(people.dsp, concern.id, {
        route: 'early_help',
        consent: { sought: true, given: true, givenBy: 'Mother' },
      });
      expect(sent.dueBy).toBe('2026-11-25T14:15:00.000Z');
      await directory.updateEarlyHelpResponseDays(people.lead, 5);
    });
  });
});
