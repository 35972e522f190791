import { AuditService } from '../../src/audit/audit.service';
import { Chronology, ChronologyEntry, toChronologyResponse } from '../../src/chronology/chronology.mapper';
import { ChronologyService } from '../../src/chronology/chronology.service';
import { Actor } from '../../src/common/actor';
import { ConcernsService } from '../../src/dsp/concerns/concerns.service';
import { RecordConcernDto } from '../../src/dsp/concerns/dto/record-concern.dto';
import { EscalationsService } from '../../src/dsp/escalations/escalations.service';
import { InboxService } from '../../src/local-authority/inbox.service';
import { Organisation } from '../../src/organisations/organisation.entity';
import { Pupil } from '../../src/school/pupil.entity';
import { newId } from '../../src/common/ids';
import { Action } from '../../src/dsp/actions/action.entity';
import { ActionCompletion } from '../../src/dsp/actions/action-completion.entity';
import { ConcernAmendment } from '../../src/dsp/concerns/concern-amendment.entity';
import { Placement, PlacementEnding, PlacementReview } from '../../src/pru/placement.entity';
import { Disposal, DisposalProposal } from '../../src/retention/retention.entities';
import { Transfer } from '../../src/transfers/transfer.entity';
import { TransferReceipt } from '../../src/transfers/transfer-receipt.entity';
import { countQueries, readsOfRecords } from '../support/count-queries';
import { Factory } from '../support/factory';

/** The chronology as the API sends it in English: titles in words. */
const inEnglish = (chronology: Chronology) => toChronologyResponse(chronology, 'en');
import { bootTestApp, TestApp } from '../support/test-app';
import { setClock } from '../support/clock';

const HOUR = 3600 * 1000;
const kinds = (entries: Array<Pick<ChronologyEntry, 'kind'>>) => entries.map((e) => e.kind);

describe(ChronologyService.name, () => {
  let testApp: TestApp;
  let factory: Factory;
  let chronology: ChronologyService;
  let concerns: ConcernsService;
  let escalations: EscalationsService;
  let inbox: InboxService;
  let audit: AuditService;
  const orgs = {} as Record<'la' | 'school' | 'otherSchool' | 'pru', Organisation>;
  const people = {} as Record<
    'teacher' | 'dsp' | 'welshDsp' | 'head' | 'otherDsp' | 'pruDsp' | 'mash' | 'earlyHelp' | 'lead' | 'admin',
    Actor
  >;

  const record = (actor: Actor, pupil: Pupil, fields: Partial<RecordConcernDto> = {}) =>
    concerns.record(actor, {
      pupilId: pupil.id,
      occurredAt: new Date(Date.now() - HOUR).toISOString(),
      category: 'wellbeing',
      summary: 'Seen',
      evidenceBasis: 'observed',
      ...fields,
    });

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    factory = new Factory(testApp.dataSource);
    chronology = testApp.app.get(ChronologyService);
    concerns = testApp.app.get(ConcernsService);
    escalations = testApp.app.get(EscalationsService);
    inbox = testApp.app.get(InboxService);
    audit = testApp.app.get(AuditService);
    orgs.la = await factory.localAuthority();
    orgs.school = await factory.school(orgs.la, { name: 'Ysgol y Bryn' });
    orgs.otherSchool = await factory.school(orgs.la);
    orgs.pru = await factory.pru(orgs.la, { name: 'Canolfan y Bont PRU' });
    people.teacher = await factory.actor(orgs.school, 'staff');
    people.dsp = await factory.actor(orgs.school, 'dsp', { name: 'Siân DSP' });
    people.welshDsp = await factory.actor(orgs.school, 'dsp', { language: 'cy' });
    people.head = await factory.actor(orgs.school, 'head_teacher');
    people.otherDsp = await factory.actor(orgs.otherSchool, 'dsp');
    people.pruDsp = await factory.actor(orgs.pru, 'dsp');
    people.mash = await factory.actor(orgs.la, 'la_mash', { name: 'Bethan MASH' });
    people.earlyHelp = await factory.actor(orgs.la, 'la_early_help', { name: 'Nia Early Help' });
    people.lead = await factory.actor(orgs.la, 'la_lead');
    people.admin = await factory.actor(orgs.la, 'admin');
  });

  afterAll(() => testApp.close());

  describe('one referral through the whole loop', () => {
    let pupil: Pupil;
    let concernId: string;
    let mashId: string;
    let earlyHelpId: string;

    beforeAll(async () => {
      pupil = await factory.pupil(orgs.school);
      const concern = await record(people.teacher, pupil, {
        category: 'physical',
        indicators: ['injury_suspected_non_accidental'],
        summary: 'Bruises on both upper arms',
      });
      concernId = concern.id;
      await concerns.decide(people.dsp, concernId, { outcome: 'mash', rationale: 'Unexplained injury: refer' });
      mashId = (
        await escalations.send(people.dsp, concernId, {
          route: 'mash',
          consent: { sought: false, reasonNotSought: 'Parent may be the cause' },
        })
      ).id;
      await inbox.acknowledge(people.mash, mashId);
      earlyHelpId = (
        await inbox.recordOutcome(people.mash, mashId, {
          outcome: 'redirect_early_help',
          note: 'Below threshold; family help fits',
        })
      ).earlyHelpEscalationId!;
      await inbox.recordOutcome(people.earlyHelp, earlyHelpId, {
        outcome: 'team_around_the_family',
        note: 'TAF meeting arranged',
      });
      await concerns.close(people.dsp, concernId, { rationale: 'Family engaged with TAF' });
    });

    it('reads every step in time order, with who did it and the words they wrote', async () => {
      const { pupil: header, entries } = inEnglish(await chronology.forPupil(people.head, pupil.id));
      expect(header).toMatchObject({
        id: pupil.id,
        upn: pupil.upn,
        firstName: pupil.firstName,
        lastName: pupil.lastName,
      });
      expect(kinds(entries)).toEqual([
        'concern_recorded',
        'decision',
        'escalation_sent',
        'la_acknowledged',
        'escalation_sent',
        'la_outcome',
        'la_acknowledged',
        'la_outcome',
        'concern_closed',
      ]);
      expect(entries.map((e) => Date.parse(e.at))).toEqual(
        [...entries.map((e) => Date.parse(e.at))].sort((a, b) => a - b),
      );
      const [recorded, decision, mashSent, mashAck, redirect, mashOutcome, ehAck, ehOutcome, closed] = entries;
      expect(recorded).toMatchObject({
        concernId,
        category: 'physical',
        detail: 'Bruises on both upper arms',
        actor: { name: people.teacher.name, role: 'staff' },
        title: 'Concern recorded: Physical abuse',
      });
      expect(decision).toMatchObject({
        concernId,
        outcome: 'mash',
        detail: 'Unexplained injury: refer',
        actor: { name: 'Siân DSP', role: 'dsp' },
        organisationId: orgs.school.id,
      });
      expect(mashSent).toMatchObject({
        escalationId: mashId,
        route: 'mash',
        actor: { role: 'dsp' },
        title: 'Referral sent: MASH',
      });
      expect(mashAck).toMatchObject({
        escalationId: mashId,
        actor: { name: 'Bethan MASH', role: 'la_mash' },
        organisationId: orgs.la.id,
      });
      expect(redirect).toMatchObject({
        escalationId: earlyHelpId,
        route: 'early_help',
        concernId,
        actor: { name: 'Bethan MASH', role: 'la_mash' },
        organisationId: orgs.la.id,
      });
      expect(mashOutcome).toMatchObject({
        escalationId: mashId,
        outcome: 'redirect_early_help',
        detail: 'Below threshold; family help fits',
        title: 'Referral outcome (MASH): Redirected to early help',
      });
      expect(ehAck).toMatchObject({
        escalationId: earlyHelpId,
        actor: { name: 'Nia Early Help', role: 'la_early_help' },
      });
      expect(ehOutcome).toMatchObject({
        escalationId: earlyHelpId,
        outcome: 'team_around_the_family',
        detail: 'TAF meeting arranged',
      });
      expect(closed).toMatchObject({ concernId, detail: 'Family engaged with TAF', category: 'physical' });
    });

    it('narrows by kind and by category', async () => {
      expect(
        kinds((await chronology.forPupil(people.dsp, pupil.id, { kinds: ['la_outcome', 'decision'] })).entries),
      ).toEqual(['decision', 'la_outcome', 'la_outcome']);
      expect((await chronology.forPupil(people.dsp, pupil.id, { category: 'physical' })).entries).toHaveLength(9);
      expect((await chronology.forPupil(people.dsp, pupil.id, { category: 'neglect' })).entries).toEqual([]);
    });

    it('gives titles as catalogue messages, in no language, whoever reads them', async () => {
      const welsh = await chronology.forPupil(people.welshDsp, pupil.id);
      expect(welsh.entries[0].title).toEqual({
        key: 'chronology.titles.concern_recorded',
        params: { category: { key: 'concernCategories.physical' } },
      });
      expect(welsh).toEqual(await chronology.forPupil(people.dsp, pupil.id));
    });

    it("writes titles in the reader's language and the recorded words exactly as written", async () => {
      const { entries } = toChronologyResponse(await chronology.forPupil(people.welshDsp, pupil.id), 'cy');
      expect(entries[0]).toMatchObject({
        title: expect.stringMatching(/^Pryder wedi'i gofnodi: /),
        detail: 'Bruises on both upper arms',
      });
      expect(entries[1]).toMatchObject({ detail: 'Unexplained injury: refer' });
      expect(entries.map((e) => e.title)).not.toContain('Concern closed');
    });

    it('is read only by DSPs and head teachers where the pupil is enrolled: 404 for everyone else, the referral teams included', async () => {
      for (const actor of [people.dsp, people.head])
        await expect(chronology.forPupil(actor, pupil.id)).resolves.toMatchObject({ pupil: { id: pupil.id } });
      // MASH and early help can open the concern and the referral they received...
      await expect(concerns.get(people.mash, concernId)).resolves.toMatchObject({ id: concernId });
      await expect(inbox.get(people.earlyHelp, earlyHelpId)).resolves.toMatchObject({ id: earlyHelpId });
      // ...but never the pupil's whole chronology.
      for (const actor of [
        people.mash,
        people.earlyHelp,
        people.lead,
        people.admin,
        people.otherDsp,
        people.pruDsp,
        people.teacher,
      ]) {
        await expect(chronology.forPupil(actor, pupil.id)).rejects.toMatchObject({ code: 'not_found' });
      }
      await expect(chronology.forPupil(people.dsp, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
        code: 'not_found',
      });
    });

    it('records each reading for the head teacher (chronology.viewed on the pupil)', async () => {
      await chronology.forPupil(people.dsp, pupil.id);
      const entries = await audit.list(people.head, { subjectType: 'pupil', subjectId: pupil.id });
      expect(entries).toContainEqual(
        expect.objectContaining({
          action: 'chronology.viewed',
          subjectId: pupil.id,
          actor: { id: people.dsp.userId, name: 'Siân DSP', role: 'dsp' },
        }),
      );
    });
  });

  describe('ordering', () => {
    it('slots a backdated concern in by when it happened, not when it was recorded', async () => {
      const pupil = await factory.pupil(orgs.school);
      const today = await record(people.teacher, pupil, {
        summary: 'Recorded first, happened last',
        occurredAt: new Date(Date.now() - HOUR).toISOString(),
      });
      const lastWeek = await record(people.teacher, pupil, {
        summary: 'Recorded second, happened in the middle',
        occurredAt: new Date(Date.now() - 7 * 24 * HOUR).toISOString(),
      });
      const lastMonth = await record(people.teacher, pupil, {
        summary: 'Recorded last, happened first',
        occurredAt: new Date(Date.now() - 30 * 24 * HOUR).toISOString(),
      });
      const { entries } = await chronology.forPupil(people.dsp, pupil.id);
      expect(entries.map((e) => e.concernId)).toEqual([lastMonth.id, lastWeek.id, today.id]);
      expect(entries[0]).toMatchObject({ at: lastMonth.occurredAt, detail: 'Recorded last, happened first' });
    });

    it('keeps recording order for entries at the same time, whatever their ids or storage order', async () => {
      const pupil = await factory.pupil(orgs.school);
      const occurredAt = new Date(Date.now() - 48 * HOUR);
      const recordedAts = Array.from({ length: 6 }, (_, i) => new Date(Date.now() - (10 - i) * HOUR));
      // Stored newest first, with ids that sort the other way round to the recording order.
      const ids = ['f', 'e', 'd', 'c', 'b', 'a'].map((c) => `${c.repeat(8)}-0000-4000-8000-000000000000`);
      for (let i = recordedAts.length - 1; i >= 0; i -= 1) {
        await factory.concern(pupil, people.teacher, {
          id: ids[i],
          occurredAt,
          recordedAt: recordedAts[i],
          summary: `recorded ${i}`,
        });
      }
      const { entries } = await chronology.forPupil(people.dsp, pupil.id);
      expect(entries.map((e) => e.detail)).toEqual([
        'recorded 0',
        'recorded 1',
        'recorded 2',
        'recorded 3',
        'recorded 4',
        'recorded 5',
      ]);
    });
  });

  it('keeps the order things were done in one breath: MASH acknowledging, redirecting, deciding within the same millisecond', async () => {
    const pupil = await factory.pupil(orgs.school);
    const concern = await record(people.dsp, pupil, { indicators: ['disclosure_of_abuse'] });
    const referral = await escalations.send(people.dsp, concern.id, {
      route: 'mash',
      consent: { sought: true, given: true },
    });
    // An outcome on an unacknowledged referral acknowledges it, creates the early-help referral and records
    // the outcome in one transaction: on a fast server all three share a timestamp. Freeze the clock to say so.
    setClock(Date.now() + 1000);
    try {
      await inbox.recordOutcome(people.mash, referral.id, { outcome: 'redirect_early_help', note: 'Early help fits' });
    } finally {
      jest.useRealTimers();
    }
    const { entries } = await chronology.forPupil(people.dsp, pupil.id);
    expect(entries.map((e) => [e.kind, e.route ?? null, e.actor?.role])).toEqual([
      ['concern_recorded', null, 'dsp'],
      ['escalation_sent', 'mash', 'dsp'],
      ['la_acknowledged', 'mash', 'la_mash'],
      ['escalation_sent', 'early_help', 'la_mash'],
      ['la_outcome', 'mash', 'la_mash'],
    ]);
  });

  describe('a pupil named in a concern about another', () => {
    const SUMMARY = 'Unique-summary-7731: touched another pupil inappropriately';
    const CHILDS_WORDS = 'Unique-words-4410: he made me';
    let subject: Pupil;
    let named: Pupil;

    beforeAll(async () => {
      subject = await factory.pupil(orgs.school);
      named = await factory.pupil(orgs.school);
      await record(people.teacher, subject, {
        category: 'sexual',
        issues: ['harmful_sexual_behaviour'],
        summary: SUMMARY,
        childsWords: CHILDS_WORDS,
        childsWordsLanguage: 'en',
        linkedPupils: [{ pupilId: named.id, role: 'alleged_perpetrator' }],
      });
    });

    it('shows the mention and the role, and never the other child’s category, issues or words', async () => {
      const response = inEnglish(await chronology.forPupil(people.dsp, named.id));
      expect(response.entries).toEqual([
        {
          id: expect.stringMatching(/^mention:/),
          at: expect.any(String),
          kind: 'linked_mention',
          title: 'Named in a concern about another pupil, as alleged perpetrator',
          detail: null,
          actor: { name: people.teacher.name, role: 'staff' },
          organisationId: orgs.school.id,
          organisation: { id: orgs.school.id, name: orgs.school.name },
        },
      ]);
      const json = JSON.stringify(response);
      for (const secret of [
        SUMMARY,
        CHILDS_WORDS,
        'Unique-summary',
        'Unique-words',
        'sexual',
        'Sexual',
        'harmful_sexual_behaviour',
        subject.id,
        subject.firstName,
        subject.lastName,
      ]) {
        expect(json).not.toContain(secret);
      }
      expect((await chronology.forPupil(people.dsp, named.id, { category: 'sexual' })).entries).toEqual([]);
    });

    it("puts no mention on the subject's own chronology", async () => {
      expect(kinds((await chronology.forPupil(people.dsp, subject.id)).entries)).toEqual(['concern_recorded']);
    });
  });

  describe('enrolments', () => {
    it('shows every change of enrolment after the first, in date order: a dual registration and a leaving', async () => {
      const pupil = await factory.pupil(null);
      await factory.enrolment(pupil, orgs.otherSchool, { startedOn: '2022-09-01', endedOn: '2024-07-19' });
      await factory.enrolment(pupil, orgs.school, { startedOn: '2024-09-02' });
      await factory.enrolment(pupil, orgs.pru, { type: 'dual', startedOn: '2026-10-05' });
      await factory.concern(pupil, people.teacher, {
        occurredAt: new Date('2025-03-01T10:00:00.000Z'),
        recordedAt: new Date('2025-03-01T11:00:00.000Z'),
      });
      for (const reader of [people.dsp, people.pruDsp]) {
        const { entries } = inEnglish(await chronology.forPupil(reader, pupil.id));
        expect(entries.map((e) => [e.kind, e.at.slice(0, 10), e.title])).toEqual([
          ['enrolment', '2024-07-19', `Left the roll of ${orgs.otherSchool.name}`],
          ['enrolment', '2024-09-02', `Enrolled at Ysgol y Bryn (Main)`],
          ['concern_recorded', '2025-03-01', 'Concern recorded: Wellbeing (no suspected abuse)'],
          ['enrolment', '2026-10-05', 'Enrolled at Canolfan y Bont PRU (Dual registration)'],
        ]);
      }
      await expect(chronology.forPupil(people.otherDsp, pupil.id)).rejects.toMatchObject({ code: 'not_found' });
    });
  });

  describe("other modules' events", () => {
    /** Rows inserted as their modules would have written them, at fixed instants (no rules, no audit). */
    const at = (iso: string) => new Date(iso);
    let pupil: Pupil;
    let ids: Record<
      | 'enrolment'
      | 'placement'
      | 'review'
      | 'ending'
      | 'transfer'
      | 'action'
      | 'amendment'
      | 'attachment'
      | 'disposal'
      | 'concern',
      string
    >;

    beforeAll(async () => {
      const manager = testApp.dataSource.manager;
      pupil = await factory.pupil(orgs.school);
      ids = {
        enrolment: '',
        placement: newId(),
        review: newId(),
        ending: newId(),
        transfer: newId(),
        action: newId(),
        amendment: newId(),
        attachment: newId(),
        disposal: newId(),
        concern: '',
      };
      // A disposal before everything else: the concern recorded before it is gone, the rest is not.
      await factory.concern(pupil, people.teacher, {
        occurredAt: at('2026-06-30T09:00:00.000Z'),
        recordedAt: at('2026-06-30T10:00:00.000Z'),
      });
      const proposalId = newId();
      await manager.insert(DisposalProposal, {
        id: proposalId,
        pupilId: pupil.id,
        reason: 'Past retention',
        proposedAt: at('2026-06-30T12:00:00.000Z'),
        proposedByUserId: people.head.userId,
        proposedByName: people.head.name,
        proposedByRole: 'head_teacher',
        proposedByOrganisationId: orgs.school.id,
      });
      await manager.insert(Disposal, {
        id: ids.disposal,
        pupilId: pupil.id,
        proposalId,
        reviewOn: '2026-06-30',
        reason: 'Past retention',
        proposedAt: at('2026-06-30T12:00:00.000Z'),
        proposedByUserId: people.head.userId,
        proposedByName: people.head.name,
        proposedByRole: 'head_teacher',
        proposedByOrganisationId: orgs.school.id,
        disposedAt: at('2026-07-01T09:00:00.000Z'),
        approvedByUserId: people.dsp.userId,
        approvedByName: 'Siân DSP',
        approvedByRole: 'dsp',
        approvedByOrganisationId: orgs.school.id,
        counts: {
          concerns: 1,
          decisions: 0,
          closures: 0,
          linkedPupils: 0,
          amendments: 0,
          attachments: 0,
          actions: 0,
          actionCompletions: 0,
          referrals: 0,
          referralAcknowledgements: 0,
          referralOutcomes: 0,
        } as Disposal['counts'],
      });
      // Transferred in from another school of the LA (sent and received).
      await manager.insert(Transfer, {
        id: ids.transfer,
        pupilId: pupil.id,
        previousTransferId: 'first',
        fromOrganisationId: orgs.otherSchool.id,
        toOrganisationId: orgs.school.id,
        externalName: null,
        externalLocalAuthority: null,
        sentBy: null,
        leavingOn: '2026-07-20',
        note: 'File complete',
        sentAt: at('2026-07-20T10:00:00.000Z'),
        dueBy: at('2026-08-04T10:00:00.000Z'),
        sentByUserId: people.otherDsp.userId,
        sentByName: people.otherDsp.name,
        sentByRole: 'dsp',
      });
      await manager.insert(TransferReceipt, {
        transferId: ids.transfer,
        receivedAt: at('2026-07-21T08:30:00.000Z'),
        receivedByUserId: people.dsp.userId,
        receivedByName: 'Siân DSP',
        receivedByRole: 'dsp',
        receivedByOrganisationId: orgs.school.id,
      });
      // A dual placement at the PRU, reviewed and ended: its entries stand for its enrolment's.
      ids.enrolment = (
        await factory.enrolment(pupil, orgs.pru, { type: 'dual', startedOn: '2026-09-07', endedOn: '2026-10-16' })
      ).id;
      await manager.insert(Placement, {
        id: ids.placement,
        pupilId: pupil.id,
        pruId: orgs.pru.id,
        homeOrganisationId: orgs.school.id,
        sequence: 1,
        type: 'dual',
        reason: 'at_risk_of_exclusion',
        reasonDetail: 'Two fixed-term exclusions this year',
        startOn: '2026-09-07',
        reviewOn: '2026-09-21',
        enrolmentId: ids.enrolment,
        placedByUserId: people.pruDsp.userId,
        placedByName: people.pruDsp.name,
        placedByRole: 'dsp',
        placedByOrganisationId: orgs.pru.id,
        placedAt: at('2026-09-04T11:00:00.000Z'),
      });
      await manager.insert(PlacementReview, {
        id: ids.review,
        placementId: ids.placement,
        note: 'Settling in well',
        nextReviewOn: '2026-10-05',
        reviewedByUserId: people.pruDsp.userId,
        reviewedByName: people.pruDsp.name,
        reviewedByRole: 'dsp',
        reviewedByOrganisationId: orgs.pru.id,
        reviewedAt: at('2026-09-21T14:00:00.000Z'),
      });
      await manager.insert(PlacementEnding, {
        id: ids.ending,
        placementId: ids.placement,
        endOn: '2026-10-16',
        outcome: 'reintegrated',
        note: 'Back at school full time',
        endedByUserId: people.pruDsp.userId,
        endedByName: people.pruDsp.name,
        endedByRole: 'dsp',
        endedByOrganisationId: orgs.pru.id,
        endedAt: at('2026-10-16T15:00:00.000Z'),
      });
      // A concern after the disposal, with an action set and completed, a correction and an attachment.
      const concern = await factory.concern(pupil, people.teacher, {
        occurredAt: at('2026-10-01T09:00:00.000Z'),
        recordedAt: at('2026-10-01T10:00:00.000Z'),
        summary: 'Upset at drop-off',
      });
      ids.concern = concern.id;
      await manager.insert(Action, {
        id: ids.action,
        concernId: concern.id,
        pupilId: pupil.id,
        organisationId: orgs.school.id,
        description: 'Phone home',
        assigneeUserId: people.dsp.userId,
        assigneeName: 'Siân DSP',
        dueOn: '2026-10-09',
        setAt: at('2026-10-02T09:00:00.000Z'),
        setByUserId: people.dsp.userId,
        setByName: 'Siân DSP',
        setByRole: 'dsp',
        setByOrganisationId: orgs.school.id,
      });
      await manager.insert(ActionCompletion, {
        actionId: ids.action,
        note: 'Spoke to mum',
        completedAt: at('2026-10-08T12:00:00.000Z'),
        completedByUserId: people.dsp.userId,
        completedByName: 'Siân DSP',
        completedByRole: 'dsp',
        completedByOrganisationId: orgs.school.id,
      });
      await manager.insert(ConcernAmendment, {
        id: ids.amendment,
        concernId: concern.id,
        field: 'summary',
        previous: 'Upset at drop-off',
        value: 'Upset at drop-off, crying',
        reason: 'Left out the crying',
        amendedAt: at('2026-10-03T09:00:00.000Z'),
        amendedByUserId: people.dsp.userId,
        amendedByName: 'Siân DSP',
        amendedByRole: 'dsp',
        amendedByOrganisationId: orgs.school.id,
      });
      // The bytes are not mapped on the entity (no list reads them): written as attachments/ writes them.
      const [insertAttachment, parameters] = testApp.dataSource.driver.escapeQueryWithParameters(
        `INSERT INTO concern_attachments (id, concern_id, filename, content_type, size, sha256, content,
           added_by_user_id, added_by_name, added_by_role, added_by_organisation_id, added_at)
         VALUES (:id, :concernId, 'note.pdf', 'application/pdf', 3, :sha, :content, :userId, 'Siân DSP', 'dsp', :orgId, :addedAt)`,
        {
          id: ids.attachment,
          concernId: concern.id,
          sha: '0'.repeat(64),
          content: Buffer.from('pdf'),
          userId: people.dsp.userId,
          orgId: orgs.school.id,
          addedAt: '2026-10-04T09:00:00.000Z',
        },
        {},
      );
      await manager.query(insertAttachment, parameters);
    });

    it('shows each as its module wrote it, in order: the tombstone, a transfer, a placement reviewed and ended, an action, a correction, an attachment', async () => {
      const { entries } = inEnglish(await chronology.forPupil(people.dsp, pupil.id, {}, 'all'));
      const [school, pru] = [orgs.school.id, orgs.pru.id];
      expect(
        entries.map((e) => [e.id, e.kind, e.at, e.title, e.detail, e.actor?.name ?? null, e.organisation.id]),
      ).toEqual([
        [
          `disposal:${ids.disposal}`,
          'records_disposed',
          '2026-07-01T09:00:00.000Z',
          'Records disposed of on 1 July 2026 after review, approved by Siân DSP (concerns: 1, referrals: 0, actions: 0, attached files: 0)',
          null,
          'Siân DSP',
          school,
        ],
        [
          `transfer:${ids.transfer}:sent`,
          'transfer',
          '2026-07-20T10:00:00.000Z',
          'Safeguarding file sent to Ysgol y Bryn',
          'File complete',
          people.otherDsp.name,
          orgs.otherSchool.id,
        ],
        [
          `transfer:${ids.transfer}:received`,
          'transfer',
          '2026-07-21T08:30:00.000Z',
          `Safeguarding file received from ${orgs.otherSchool.name}`,
          null,
          'Siân DSP',
          school,
        ],
        [
          `placement:${ids.placement}`,
          'placement_started',
          '2026-09-07T00:00:00.000Z',
          'Placed at Canolfan y Bont PRU from Ysgol y Bryn: Dual registration (part time at the PRU); At risk of exclusion',
          'Two fixed-term exclusions this year',
          people.pruDsp.name,
          pru,
        ],
        [
          `placement-review:${ids.review}`,
          'placement_reviewed',
          '2026-09-21T14:00:00.000Z',
          'Placement at Canolfan y Bont PRU reviewed; next review 5 October 2026',
          'Settling in well',
          people.pruDsp.name,
          pru,
        ],
        [
          `concern:${ids.concern}`,
          'concern_recorded',
          '2026-10-01T09:00:00.000Z',
          'Concern recorded: Wellbeing (no suspected abuse)',
          'Upset at drop-off',
          people.teacher.name,
          school,
        ],
        [
          `action:${ids.action}:set`,
          'action_set',
          '2026-10-02T09:00:00.000Z',
          'Action set for Siân DSP, due 9 October 2026',
          'Phone home',
          'Siân DSP',
          school,
        ],
        [
          `concern-amended:${ids.amendment}`,
          'concern_amended',
          '2026-10-03T09:00:00.000Z',
          'Concern corrected: What happened',
          'Left out the crying',
          'Siân DSP',
          school,
        ],
        [
          `attachment:${ids.attachment}`,
          'attachment_added',
          '2026-10-04T09:00:00.000Z',
          'File attached to a concern: note.pdf',
          null,
          'Siân DSP',
          school,
        ],
        [
          `action:${ids.action}:completed`,
          'action_completed',
          '2026-10-08T12:00:00.000Z',
          'Action completed: Phone home',
          'Spoke to mum',
          'Siân DSP',
          school,
        ],
        // The placement's start and end stand for its dual enrolment's; the concern before the disposal is gone.
        [
          `placement-ended:${ids.ending}`,
          'placement_ended',
          '2026-10-16T23:59:59.999Z',
          'Placement at Canolfan y Bont PRU ended: Went back to the home school (reintegrated)',
          'Back at school full time',
          people.pruDsp.name,
          pru,
        ],
      ]);
    });

    it('reads them all, with every other record of the pupil, in three statements: the access check, one UNION ALL, the names', async () => {
      const reads = await countQueries(
        testApp.dataSource,
        () => chronology.forPupil(people.dsp, pupil.id, {}, 'all'),
        readsOfRecords,
      );
      expect(reads).toBeLessThanOrEqual(3);
    });
  });

  it('is read in the same number of queries for 1 concern as for 40, each decided, referred, answered, closed and naming another pupil, in at most 3 reads', async () => {
    const measure = async (howMany: number) => {
      const pupil = await factory.pupil(orgs.school);
      await factory.enrolment(pupil, orgs.pru, { type: 'dual', startedOn: '2026-10-05' });
      const classmate = await factory.pupil(orgs.school);
      for (let i = 0; i < howMany; i += 1) {
        const concern = await factory.concern(pupil, people.teacher, {
          occurredAt: new Date(Date.now() - (i + 2) * 24 * HOUR),
        });
        await factory.decision(concern, people.dsp);
        const referral = await factory.escalation(concern, people.dsp);
        await factory.acknowledgement(referral, people.mash);
        await factory.outcome(referral, people.mash);
        await factory.closure(concern, people.dsp);
        const other = await factory.concern(classmate, people.teacher);
        await factory.linkedPupil(other, pupil, 'witness');
      }
      let length = 0;
      const read = () => chronology.forPupil(people.dsp, pupil.id, {}, 'all');
      const queries = await countQueries(testApp.dataSource, async () => (length = (await read()).entries.length));
      expect(length).toBe(1 + howMany * 7);
      return { queries, reads: await countQueries(testApp.dataSource, read, readsOfRecords) };
    };
    const one = await measure(1);
    const forty = await measure(40);
    expect(forty).toEqual(one);
    // Issue 9: the access check with the pupil; dsp's records, the enrolments and every other module's
    // events (placements, transfers, corrections, actions, attachments, disposal) in one UNION ALL; the
    // page's organisations' names. Each statement is a trip through the event loop under load.
    expect(one.reads).toBeLessThanOrEqual(3);
  });

  describe('paging', () => {
    it('answers the newest entries first, a page at a time in the order they happened, with the true total', async () => {
      const pupil = await factory.pupil(orgs.school);
      const summaries: string[] = [];
      for (let i = 7; i >= 1; i -= 1) {
        const concern = await factory.concern(pupil, people.teacher, {
          occurredAt: new Date(Date.now() - i * 24 * HOUR),
          category: i % 2 ? 'wellbeing' : 'neglect',
        });
        summaries.push(concern.summary);
      }
      const page = async (n: number, filter = {}) => {
        const answer = await chronology.forPupil(people.dsp, pupil.id, filter, { page: n, pageSize: 3 });
        return {
          total: answer.total,
          page: answer.page,
          pageSize: answer.pageSize,
          details: answer.entries.map((e) => e.detail),
        };
      };
      expect(await page(1)).toEqual({ total: 7, page: 1, pageSize: 3, details: summaries.slice(4, 7) });
      expect(await page(2)).toEqual({ total: 7, page: 2, pageSize: 3, details: summaries.slice(1, 4) });
      expect(await page(3)).toEqual({ total: 7, page: 3, pageSize: 3, details: summaries.slice(0, 1) });
      expect(await page(4)).toEqual({ total: 7, page: 4, pageSize: 3, details: [] });
      // Filters count and page what they match.
      const neglect = await page(1, { category: 'neglect' });
      expect(neglect.total).toBe(3);
      expect(neglect.details).toEqual([summaries[1], summaries[3], summaries[5]]);
      // Every entry is reachable: the pages together are the whole chronology, once each.
      const all = (await chronology.forPupil(people.dsp, pupil.id, {}, 'all')).entries.map((e) => e.detail);
      expect([3, 2, 1].flatMap((n) => summaries.slice(Math.max(0, 7 - 3 * n), 7 - 3 * (n - 1)))).toEqual(all);
      // Each page view is audited, as every read of the chronology is.
      const viewed = await audit.list(people.head, { subjectType: 'pupil', subjectId: pupil.id });
      expect(viewed.filter((e) => e.action === 'chronology.viewed')).toHaveLength(6);
    });
  });
});
