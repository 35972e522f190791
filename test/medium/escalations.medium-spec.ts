import { refreshConcernState } from '../../src/dsp/concern-states/concern-states';
import { AuditService } from '../../src/audit/audit.service';
import { Actor } from '../../src/common/actor';
import { EscalationStatus } from '../../src/dsp/escalations/referral-status';
import { projectReferralStates } from '../../src/dsp/escalations/referral-state-projection';
import { newId } from '../../src/common/ids';
import { recordedBy } from '../../src/common/recorded-by';
import { ConcernsService } from '../../src/dsp/concerns/concerns.service';
import { RecordConcernDto } from '../../src/dsp/concerns/dto/record-concern.dto';
import { SendEscalationDto } from '../../src/dsp/escalations/dto/send-escalation.dto';
import { Escalation } from '../../src/dsp/escalations/escalation.entity';
import { EscalationsService } from '../../src/dsp/escalations/escalations.service';
import { EscalationAcknowledgement } from '../../src/dsp/escalations/escalation-acknowledgement.entity';
import { EscalationOutcome } from '../../src/dsp/escalations/escalation-outcome.entity';
import { InboxService } from '../../src/local-authority/inbox.service';
import { Organisation } from '../../src/organisations/organisation.entity';
import { countQueries } from '../support/count-queries';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';
import { setClock } from '../support/clock';
import { auditEntries } from '../support/audit-chain';

const REASON = 'The family has refused every offer of support this term'; // well over 20 characters

describe(`${EscalationsService.name} and ${InboxService.name}`, () => {
  let testApp: TestApp;
  let factory: Factory;
  let concerns: ConcernsService;
  let escalations: EscalationsService;
  let inbox: InboxService;
  /** The first page of the team's inbox, as large as a page may be (the tests here hold fewer referrals). */
  const listInbox = async (actor: Actor, status?: EscalationStatus) =>
    (await inbox.page(actor, { status, pageSize: 200 })).items;
  let audit: AuditService;
  const orgs = {} as Record<'la' | 'otherLa' | 'school' | 'otherSchool' | 'pru', Organisation>;
  const people = {} as Record<
    'dsp' | 'head' | 'teacher' | 'otherDsp' | 'pruDsp' | 'mash' | 'earlyHelp' | 'otherMash' | 'lead' | 'admin',
    Actor
  >;

  const escalationCount = () => testApp.dataSource.getRepository(Escalation).count();
  const auditCount = async () => (await auditEntries(testApp)).count();

  /** A concern about a fresh pupil (so no history trigger raises its level), recorded by the school's DSP. */
  const concernWith = async (fields: Partial<RecordConcernDto>, at = orgs.school, recorder = people.dsp) => {
    const pupil = await factory.pupil(at);
    return concerns.record(recorder, {
      pupilId: pupil.id,
      occurredAt: new Date(Date.now() - 3600 * 1000).toISOString(),
      category: 'wellbeing',
      summary: 'What was seen',
      evidenceBasis: 'observed',
      ...fields,
    });
  };
  const LEVEL = {
    1: { category: 'wellbeing' },
    2: { category: 'wellbeing', issues: ['bullying'] },
    3: { category: 'wellbeing', issues: ['self_harm'] },
    4: { category: 'wellbeing', indicators: ['disclosure_of_abuse'] },
    0: { category: 'wellbeing', indicators: ['immediate_danger'] },
  } as const satisfies Record<number, Partial<RecordConcernDto>>;

  const mash = (overrides: Partial<SendEscalationDto> = {}): SendEscalationDto => ({
    route: 'mash',
    consent: { sought: true, given: true, givenBy: 'Mother' },
    ...overrides,
  });
  const earlyHelp = (overrides: Partial<SendEscalationDto> = {}): SendEscalationDto => ({
    route: 'early_help',
    consent: { sought: true, given: true, givenBy: 'Father' },
    ...overrides,
  });

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    factory = new Factory(testApp.dataSource);
    concerns = testApp.app.get(ConcernsService);
    escalations = testApp.app.get(EscalationsService);
    inbox = testApp.app.get(InboxService);
    audit = testApp.app.get(AuditService);
    orgs.la = await factory.localAuthority();
    orgs.otherLa = await factory.localAuthority();
    orgs.school = await factory.school(orgs.la);
    orgs.otherSchool = await factory.school(orgs.la);
    orgs.pru = await factory.pru(orgs.la);
    people.dsp = await factory.actor(orgs.school, 'dsp');
    people.head = await factory.actor(orgs.school, 'head_teacher');
    people.teacher = await factory.actor(orgs.school, 'staff');
    people.otherDsp = await factory.actor(orgs.otherSchool, 'dsp');
    people.pruDsp = await factory.actor(orgs.pru, 'dsp');
    people.mash = await factory.actor(orgs.la, 'la_mash', { name: 'Bethan MASH' });
    people.earlyHelp = await factory.actor(orgs.la, 'la_early_help');
    people.otherMash = await factory.actor(orgs.otherLa, 'la_mash');
    people.lead = await factory.actor(orgs.la, 'la_lead');
    people.admin = await factory.actor(orgs.la, 'admin');
  });

  afterEach(() => jest.useRealTimers());
  afterAll(() => testApp.close());

  describe('the escalation rules (422, keyed by field, nothing stored)', () => {
    const expectRefused = async (concernId: string, dto: SendEscalationDto, field: string) => {
      const [escalationsBefore, auditBefore] = [await escalationCount(), await auditCount()];
      await expect(escalations.send(people.dsp, concernId, dto)).rejects.toMatchObject({
        code: 'rule_broken',
        errors: { [field]: [expect.any(String)] },
      });
      expect(await escalationCount()).toBe(escalationsBefore);
      expect(await auditCount()).toBe(auditBefore);
      expect((await concerns.get(people.dsp, concernId)).status).toBe('awaiting_triage');
    };

    it.each([1, 2, 3] as const)(
      'sends a level-%s concern to MASH with no reason asked and nothing flagged: going up is never against the guidance',
      async (level) => {
        const concern = await concernWith(LEVEL[level]);
        expect(concern.guidance.level).toBe(level);
        const sent = await escalations.send(people.dsp, concern.id, mash());
        expect(sent).toMatchObject({
          route: 'mash',
          status: 'sent',
          againstRecommendation: false,
          aboveGuidance: true,
          recommendedLevel: level,
          reasonForRoute: null,
          overdue: false,
        });
        expect((await concerns.get(people.dsp, concern.id)).status).toBe('open');
      },
    );

    it('sends a level-4 concern (a disclosure of abuse) to MASH with no reason, following the guidance', async () => {
      const concern = await concernWith(LEVEL[4]);
      const sent = await escalations.send(people.dsp, concern.id, mash());
      expect(sent).toMatchObject({
        route: 'mash',
        againstRecommendation: false,
        recommendedLevel: 4,
        recommendedRoute: 'mash',
        reasonForRoute: null,
      });
    });

    it('treats both the police and MASH as following the guidance for an emergency (level 0)', async () => {
      const concern = await concernWith(LEVEL[0]);
      expect(concern.guidance).toMatchObject({ level: 0, route: 'police', emergency: true });
      expect(
        await escalations.send(people.dsp, concern.id, {
          route: 'police',
          consent: { sought: false, reasonNotSought: 'Immediate danger' },
        }),
      ).toMatchObject({ againstRecommendation: false });
      expect(await escalations.send(people.dsp, concern.id, mash())).toMatchObject({
        againstRecommendation: false,
        recommendedLevel: 0,
      });
    });

    it('asks for a reason to send a level-4 concern to early help (below the recommended route)', async () => {
      const concern = await concernWith(LEVEL[4]);
      await expectRefused(concern.id, earlyHelp(), 'reasonForRoute');
      expect(await escalations.send(people.dsp, concern.id, earlyHelp({ reasonForRoute: REASON }))).toMatchObject({
        route: 'early_help',
        againstRecommendation: true,
      });
    });

    it('sends an allegation against staff to the designated officer as recommended', async () => {
      const concern = await concernWith({ category: 'physical', indicators: ['allegation_against_staff'] });
      expect(concern.guidance).toMatchObject({ level: 4, route: 'designated_officer' });
      expect(
        await escalations.send(people.dsp, concern.id, {
          route: 'designated_officer',
          consent: { sought: true, given: true, givenBy: 'Parent' },
        }),
      ).toMatchObject({
        againstRecommendation: false,
      });
    });

    it("needs the family's consent, and who gave it, for early help", async () => {
      const concern = await concernWith(LEVEL[3]);
      await expectRefused(concern.id, earlyHelp({ consent: { sought: false } }), 'consent.given');
      await expectRefused(
        concern.id,
        earlyHelp({ consent: { sought: true, given: false, givenBy: 'Mother' } }),
        'consent.given',
      );
      await expectRefused(concern.id, earlyHelp({ consent: { sought: true, given: null } }), 'consent.given');
      await expectRefused(concern.id, earlyHelp({ consent: { sought: true, given: true } }), 'consent.givenBy');
      await expectRefused(
        concern.id,
        earlyHelp({ consent: { sought: true, given: true, givenBy: null } }),
        'consent.givenBy',
      );
      const sent = await escalations.send(
        people.dsp,
        concern.id,
        earlyHelp({ consent: { sought: true, given: true, givenBy: 'Father (parental responsibility)' } }),
      );
      expect(sent).toMatchObject({
        route: 'early_help',
        againstRecommendation: false,
        consent: { sought: true, given: true, givenBy: 'Father (parental responsibility)', reasonNotSought: null },
      });
    });

    it('needs the reason consent was not sought for MASH, and accepts one', async () => {
      const concern = await concernWith(LEVEL[4]);
      await expectRefused(concern.id, mash({ consent: { sought: false } }), 'consent.reasonNotSought');
      await expectRefused(
        concern.id,
        mash({ consent: { sought: false, reasonNotSought: null } }),
        'consent.reasonNotSought',
      );
      const sent = await escalations.send(
        people.dsp,
        concern.id,
        mash({ consent: { sought: false, reasonNotSought: 'The parent is the alleged abuser' } }),
      );
      expect(sent.consent).toEqual({
        sought: false,
        given: null,
        givenBy: null,
        reasonNotSought: 'The parent is the alleged abuser',
      });
    });

    it('lets only DSPs refer: 403 for the head teacher and staff, 404 for another school and the local authority', async () => {
      const concern = await concernWith(LEVEL[4], orgs.school, people.teacher);
      const before = await escalationCount();
      for (const actor of [people.head, people.teacher])
        await expect(escalations.send(actor, concern.id, mash())).rejects.toMatchObject({ code: 'forbidden' });
      for (const actor of [people.otherDsp, people.mash, people.earlyHelp, people.lead, people.admin]) {
        await expect(escalations.send(actor, concern.id, mash())).rejects.toMatchObject({ code: 'not_found' });
      }
      expect(await escalationCount()).toBe(before);
    });
  });

  describe('a referral through the local authority', () => {
    let concernId: string;
    let referralId: string;
    let earlyHelpId: string;
    const referral = {
      householdMembers: [
        { name: 'Sara Jones', relationship: 'Mother', dateOfBirth: '1990-02-03' },
        { name: 'Ffion Jones', relationship: 'Sister' },
      ],
      parentalResponsibility: 'Mother',
      agenciesInvolved: ['School nurse', 'Police (PCSO)'],
      protectiveMeasures: 'Safe adult identified at school',
      knownAboutChildAndFamily: 'Known to early help in 2024',
      additionalNeeds: 'ALN: speech and language',
      communicationNeeds: 'Welsh-speaking social worker preferred',
      riskToVisitors: 'Dog at the property',
    };

    beforeAll(async () => {
      const concern = await concernWith({ ...LEVEL[4], summary: 'Disclosed being hit at home' });
      concernId = concern.id;
      referralId = (await escalations.send(people.dsp, concernId, mash({ referral }))).id;
    });

    it("puts it in the local authority's MASH inbox with the pupil, the school and a due time, and nowhere else", async () => {
      const items = await listInbox(people.mash);
      const item = items.find((i) => i.id === referralId)!;
      expect(item).toMatchObject({
        route: 'mash',
        status: 'sent',
        overdue: false,
        organisation: { id: orgs.school.id, name: orgs.school.name },
      });
      expect(item.pupil).toEqual({
        id: expect.any(String),
        firstName: expect.any(String),
        lastName: expect.any(String),
        dateOfBirth: expect.any(String),
      });
      expect(Date.parse(item.dueBy)).toBeGreaterThan(Date.parse(item.sentAt));
      for (const actor of [people.earlyHelp, people.otherMash]) {
        expect((await listInbox(actor)).map((i) => i.id)).not.toContain(referralId);
        await expect(inbox.get(actor, referralId)).rejects.toMatchObject({ code: 'not_found' });
        await expect(inbox.acknowledge(actor, referralId)).rejects.toMatchObject({ code: 'not_found' });
        await expect(
          inbox.recordOutcome(actor, referralId, { outcome: 'family_help', note: 'x' }),
        ).rejects.toMatchObject({ code: 'not_found' });
      }
      for (const actor of [people.lead, people.admin, people.dsp])
        await expect(listInbox(actor)).rejects.toMatchObject({ code: 'forbidden' });
      for (const actor of [people.lead, people.admin, people.teacher, people.otherDsp])
        await expect(inbox.get(actor, referralId)).rejects.toMatchObject({ code: 'not_found' });
    });

    it('shows the referral to the sending school’s DSP and head, and the PRU only when the pupil is dual-registered there', async () => {
      for (const actor of [people.dsp, people.head])
        expect(await escalations.get(actor, referralId)).toMatchObject({ id: referralId, status: 'sent' });
      for (const actor of [people.teacher, people.otherDsp, people.pruDsp, people.earlyHelp]) {
        await expect(escalations.get(actor, referralId)).rejects.toMatchObject({ code: 'not_found' });
      }
      const dual = await factory.pupil(orgs.school);
      await factory.enrol(dual, orgs.pru, 'dual');
      const concern = await concerns.record(people.dsp, {
        pupilId: dual.id,
        occurredAt: new Date().toISOString(),
        category: 'sexual',
        summary: 'x',
        evidenceBasis: 'observed',
      });
      const dualReferral = await escalations.send(people.dsp, concern.id, mash());
      expect(await escalations.get(people.pruDsp, dualReferral.id)).toMatchObject({
        id: dualReferral.id,
        organisationId: orgs.school.id,
      });
    });

    it('is read by MASH with the concern it is about; the school cannot acknowledge it (403)', async () => {
      const read = await inbox.get(people.mash, referralId);
      expect(read).toMatchObject({
        id: referralId,
        concernId,
        referral,
        concern: { id: concernId, summary: 'Disclosed being hit at home', indicators: ['disclosure_of_abuse'] },
      });
      await expect(inbox.acknowledge(people.dsp, referralId)).rejects.toMatchObject({ code: 'forbidden' });
      await expect(
        inbox.recordOutcome(people.dsp, referralId, { outcome: 'strategy_discussion', note: 'x' }),
      ).rejects.toMatchObject({ code: 'forbidden' });
    });

    it('is acknowledged once (a second time is 422 on status)', async () => {
      const acknowledged = await inbox.acknowledge(people.mash, referralId);
      expect(acknowledged).toMatchObject({
        id: referralId,
        status: 'acknowledged',
        acknowledgement: { by: { name: 'Bethan MASH', role: 'la_mash' } },
      });
      const before = await auditCount();
      await expect(inbox.acknowledge(people.mash, referralId)).rejects.toMatchObject({
        code: 'rule_broken',
        errors: { status: [expect.any(String)] },
      });
      expect(await auditCount()).toBe(before);
      expect(
        await testApp.dataSource
          .getRepository(EscalationAcknowledgement)
          .count({ where: { escalationId: referralId } }),
      ).toBe(1);
    });

    it('refuses an outcome of another route (422 on outcome), storing nothing', async () => {
      const [escalationsBefore, auditBefore] = [await escalationCount(), await auditCount()];
      for (const outcome of ['family_help', 'investigation', 'stepped_up_to_mash']) {
        await expect(
          inbox.recordOutcome(people.mash, referralId, { outcome, note: 'Wrong list' }),
        ).rejects.toMatchObject({
          code: 'rule_broken',
          errors: { outcome: [expect.any(String)] },
        });
      }
      expect(await escalationCount()).toBe(escalationsBefore);
      expect(await auditCount()).toBe(auditBefore);
      expect((await escalations.get(people.dsp, referralId)).status).toBe('acknowledged');
    });

    it('redirects to early help: a new early-help referral for the same concern, pupil and details, sent by the MASH officer', async () => {
      const decided = await inbox.recordOutcome(people.mash, referralId, {
        outcome: 'redirect_early_help',
        note: 'Needs are met by family help',
      });
      expect(decided).toMatchObject({
        status: 'decided',
        outcome: { outcome: 'redirect_early_help', note: 'Needs are met by family help' },
        earlyHelpEscalationId: expect.any(String),
      });
      earlyHelpId = decided.earlyHelpEscalationId!;
      expect(decided.outcome!.earlyHelpEscalationId).toBe(earlyHelpId);

      const mashReferral = await inbox.get(people.mash, referralId);
      const forEarlyHelp = await inbox.get(people.earlyHelp, earlyHelpId);
      expect(forEarlyHelp).toMatchObject({
        id: earlyHelpId,
        route: 'early_help',
        status: 'sent',
        concernId,
        pupilId: mashReferral.pupilId,
        organisationId: orgs.school.id,
        redirectedFromId: referralId,
        referral,
        // The school's consent answers, without its reason for not seeking consent: early help seeks its own.
        consent: { sought: mashReferral.consent.sought, given: mashReferral.consent.given },
        sentBy: { name: 'Bethan MASH', role: 'la_mash' },
        pupil: mashReferral.pupil,
        organisation: mashReferral.organisation,
        concern: mashReferral.concern,
      });
      expect((await listInbox(people.earlyHelp)).map((i) => i.id)).toContain(earlyHelpId);
      // MASH does not see the early-help team's referral, nor early help the MASH one.
      await expect(inbox.get(people.mash, earlyHelpId)).rejects.toMatchObject({ code: 'not_found' });
      await expect(inbox.get(people.earlyHelp, referralId)).rejects.toMatchObject({ code: 'not_found' });
      // The school sees both on the concern.
      expect((await concerns.get(people.dsp, concernId)).escalations.map((e) => [e.route, e.status])).toEqual([
        ['mash', 'decided'],
        ['early_help', 'sent'],
      ]);
    });

    it('takes one outcome only (422 on status)', async () => {
      await expect(
        inbox.recordOutcome(people.mash, referralId, { outcome: 'no_further_action', note: 'Again' }),
      ).rejects.toMatchObject({
        code: 'rule_broken',
        errors: { status: [expect.any(String)] },
      });
    });

    it('lets early help record its outcome without acknowledging first (the outcome acknowledges it)', async () => {
      const decided = await inbox.recordOutcome(people.earlyHelp, earlyHelpId, {
        outcome: 'family_help',
        note: 'Allocated to Family Help',
      });
      expect(decided).toMatchObject({
        status: 'decided',
        acknowledgement: { by: { role: 'la_early_help' } },
        outcome: { outcome: 'family_help' },
      });
      expect(decided.earlyHelpEscalationId).toBeUndefined();
      const actions = (await audit.list(people.lead, { subjectType: 'escalation', subjectId: earlyHelpId })).map(
        (e) => e.action,
      );
      expect(actions).toEqual(
        expect.arrayContaining(['escalation.sent', 'escalation.acknowledged', 'escalation.outcome_recorded']),
      );
    });
  });

  describe('timescales: the decision is due one working day after receipt', () => {
    it('makes a referral sent on a Friday due on Monday, overdue only after that, and never once decided', async () => {
      setClock('2026-11-20T10:00:00.000Z'); // Friday, 10:00 in Cardiff (GMT)
      const concern = await concernWith(LEVEL[4]);
      const sent = await escalations.send(people.dsp, concern.id, mash());
      expect(sent.sentAt).toBe('2026-11-20T10:00:00.000Z');
      expect(sent.dueBy).toBe('2026-11-23T10:00:00.000Z');

      const listed = async () => (await listInbox(people.mash)).find((i) => i.id === sent.id)!;
      jest.setSystemTime(new Date('2026-11-23T09:59:00.000Z'));
      expect(await listed()).toMatchObject({ dueBy: '2026-11-23T10:00:00.000Z', overdue: false });
      jest.setSystemTime(new Date('2026-11-23T10:01:00.000Z'));
      expect(await listed()).toMatchObject({ overdue: true });
      expect((await listInbox(people.mash))[0].id).toBe(sent.id); // overdue first
      expect(await escalations.get(people.dsp, sent.id)).toMatchObject({ overdue: true });
      await inbox.recordOutcome(people.mash, sent.id, {
        outcome: 'strategy_discussion',
        note: 'Strategy meeting booked',
      });
      expect(await listed()).toMatchObject({ status: 'decided', overdue: false });
    });

    it('skips a bank holiday Monday (sent Friday 28 August 2026, due Tuesday 1 September)', async () => {
      setClock('2026-08-28T14:00:00.000Z'); // 15:00 BST
      const concern = await concernWith(LEVEL[4]);
      const sent = await escalations.send(people.dsp, concern.id, mash());
      expect(sent.dueBy).toBe('2026-09-01T14:00:00.000Z');
    });

    it('gives a referral sent at the weekend a whole working day, due at the clock time it was sent (never midnight)', async () => {
      setClock('2026-11-21T11:00:00.000Z'); // Saturday 11:00
      const concern = await concernWith(LEVEL[4]);
      const sent = await escalations.send(people.dsp, concern.id, mash());
      expect(sent.dueBy).toBe('2026-11-24T11:00:00.000Z'); // Tuesday 11:00
    });
  });

  it('reads the inbox in the same number of queries for 1 referral as for 40', async () => {
    const measure = async (howMany: number) => {
      const la = await factory.localAuthority();
      const school = await factory.school(la);
      const dsp = await factory.actor(school, 'dsp');
      const team = await factory.actor(la, 'la_mash');
      for (let i = 0; i < howMany; i += 1) {
        const school2 = i % 2 ? school : await factory.school(la);
        const sender = i % 2 ? dsp : await factory.actor(school2, 'dsp');
        const concern = await factory.concern(await factory.pupil(school2), sender);
        const referral = await factory.escalation(concern, sender, {
          sentAt: new Date(Date.now() - i * 3600 * 1000 * 30),
        });
        if (i % 3 === 1) await factory.acknowledgement(referral, team);
        if (i % 3 === 2) await factory.outcome(referral, team);
      }
      let listed = 0;
      const all = await countQueries(testApp.dataSource, async () => (listed = (await listInbox(team)).length));
      const sent = await countQueries(testApp.dataSource, () => listInbox(team, 'sent'));
      expect(listed).toBe(howMany);
      return { all, sent };
    };
    const one = await measure(1);
    const forty = await measure(40);
    expect(forty).toEqual(one);
  });

  describe('two officers at once (PostgreSQL runs these transactions concurrently)', () => {
    const outcomeOf = (result: PromiseSettledResult<unknown>) =>
      result.status === 'fulfilled' ? 'done' : ((result.reason as { code?: string }).code ?? String(result.reason));

    it('acknowledges once and answers the other 422 on status, never a database error', async () => {
      const otherOfficer = await factory.actor(orgs.la, 'la_mash');
      for (let i = 0; i < 5; i += 1) {
        const concern = await factory.concern(await factory.pupil(orgs.school), people.dsp);
        const referral = await factory.escalation(concern, people.dsp);
        const results = await Promise.allSettled([
          inbox.acknowledge(people.mash, referral.id),
          inbox.acknowledge(otherOfficer, referral.id),
        ]);
        expect(results.map(outcomeOf).sort()).toEqual(['done', 'rule_broken']);
        expect(results.find((r) => r.status === 'rejected')).toMatchObject({
          reason: { errors: { status: [expect.any(String)] } },
        });
      }
    });

    it('records one outcome, and one early-help referral, when two officers redirect at once', async () => {
      const otherOfficer = await factory.actor(orgs.la, 'la_mash');
      for (let i = 0; i < 5; i += 1) {
        const concern = await factory.concern(await factory.pupil(orgs.school), people.dsp);
        const referral = await factory.escalation(concern, people.dsp);
        const results = await Promise.allSettled([
          inbox.recordOutcome(people.mash, referral.id, { outcome: 'redirect_early_help', note: 'First' }),
          inbox.recordOutcome(otherOfficer, referral.id, { outcome: 'redirect_early_help', note: 'Second' }),
        ]);
        expect(results.map(outcomeOf).sort()).toEqual(['done', 'rule_broken']);
        expect(
          await testApp.dataSource.getRepository(Escalation).count({ where: { redirectedFromId: referral.id } }),
        ).toBe(1);
        expect(
          await testApp.dataSource
            .getRepository(EscalationAcknowledgement)
            .count({ where: { escalationId: referral.id } }),
        ).toBe(1);
      }
    });
  });

  it('never pushes a new referral out of the inbox, however many decided ones there are', async () => {
    const la = await factory.localAuthority();
    const school = await factory.school(la);
    const dsp = await factory.actor(school, 'dsp');
    const team = await factory.actor(la, 'la_mash');
    const pupil = await factory.pupil(school);
    const concern = await factory.concern(pupil, dsp);
    // 520 referrals from last year, all decided, inserted in bulk.
    const old: Escalation[] = [];
    const base = Date.now() - 400 * 24 * 3600 * 1000;
    for (let i = 0; i < 520; i += 1) {
      const sentAt = new Date(base + i * 3600 * 1000);
      old.push(factory.buildEscalation(concern, dsp, { sentAt, dueBy: new Date(sentAt.getTime() + 24 * 3600 * 1000) }));
    }
    for (let i = 0; i < old.length; i += 40) {
      const chunk = old.slice(i, i + 40);
      await testApp.dataSource.getRepository(Escalation).insert(chunk);
      await refreshConcernState(testApp.dataSource.manager, concern.id);
      await testApp.dataSource.getRepository(EscalationOutcome).insert(
        chunk.map((e) => ({
          id: newId(),
          escalationId: e.id,
          outcome: 'no_further_action',
          note: 'NFA',
          earlyHelpEscalationId: null,
          ...recordedBy('decidedBy', team),
          decidedAt: new Date(e.sentAt.getTime() + 3600 * 1000),
        })),
      );
      await projectReferralStates(
        testApp.dataSource.manager,
        chunk.map((e) => e.id),
      );
    }
    const fresh = await factory.escalation(concern, dsp);
    const all = await listInbox(team);
    expect(all.map((i) => i.id)).toContain(fresh.id);
    expect(all[0]).toMatchObject({ id: fresh.id, status: 'sent' });
    expect((await listInbox(team, 'sent')).map((i) => i.id)).toEqual([fresh.id]);
    // The decided list shows the most recent decisions, not last year's first few.
    const decided = await listInbox(team, 'decided');
    expect(decided[0].id).toBe(old[old.length - 1].id);
  });
});
