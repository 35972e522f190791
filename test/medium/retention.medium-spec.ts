import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain';
import { londonDateOf } from '../../src/calendar/london-time';
import { ChronologyService } from '../../src/chronology/chronology.service';
import { Actor } from '../../src/common/actor';
import { ActionsService } from '../../src/dsp/actions/actions.service';
import { Action } from '../../src/dsp/actions/action.entity';
import { tinyPdf } from '../../src/dsp/attachments/attachment-test-helpers';
import { AttachmentsService } from '../../src/dsp/attachments/attachments.service';
import { ConcernClosure } from '../../src/dsp/concerns/concern-closure.entity';
import { ConcernDecision } from '../../src/dsp/concerns/concern-decision.entity';
import { ConcernsService } from '../../src/dsp/concerns/concerns.service';
import { Concern } from '../../src/dsp/concerns/concern.entity';
import { Escalation } from '../../src/dsp/escalations/escalation.entity';
import { Organisation } from '../../src/organisations/organisation.entity';
import { LegalHold, LegalHoldLift } from '../../src/retention/retention.entities';
import { RetentionService } from '../../src/retention/retention.service';
import { Pupil } from '../../src/school/pupil.entity';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';
import { auditEntries } from '../support/audit-chain';

/** A date of birth `years` years and `days` days before today (London). */
function bornAgo(years: number, days = 0): string {
  const today = londonDateOf(new Date());
  const [y, m, d] = today.split('-').map(Number);
  const date = new Date(Date.UTC(y - years, m - 1, Math.min(d, 28) - days));
  return date.toISOString().slice(0, 10);
}

/**
 * Retention review (issue 14 item 5) against a real, migrated database: who sees the review list and a
 * pupil's retention, legal holds, the two-person rule, and what a disposal removes and keeps.
 */
describe(RetentionService.name, () => {
  let testApp: TestApp;
  let factory: Factory;
  let retention: RetentionService;
  let la: Organisation;
  let school: Organisation;
  let other: Organisation;
  let dsp: Actor;
  let secondDsp: Actor;
  let otherDsp: Actor;
  let staff: Actor;
  let head: Actor;
  let lead: Actor;
  let mash: Actor;
  let otherLead: Actor;

  const code = async (work: Promise<unknown>) => {
    try {
      await work;
    } catch (error) {
      const e = error as { code?: string; rule?: string };
      return e.rule ?? e.code;
    }
    return 'ok';
  };

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    factory = new Factory(testApp.dataSource);
    retention = testApp.app.get(RetentionService);
    la = await factory.localAuthority();
    school = await factory.school(la);
    other = await factory.school(la);
    dsp = await factory.actor(school, 'dsp', { name: 'Dee Ess' });
    secondDsp = await factory.actor(school, 'dsp', { name: 'Second Dsp' });
    otherDsp = await factory.actor(other, 'dsp');
    staff = await factory.actor(school, 'staff');
    head = await factory.actor(school, 'head_teacher');
    lead = await factory.actor(la, 'la_lead', { name: 'Lee Lead' });
    mash = await factory.actor(la, 'la_mash');
    const otherLa = await factory.localAuthority();
    otherLead = await factory.actor(otherLa, 'la_lead');
  });

  afterAll(() => testApp?.close());

  async function pupilWithRecords(dateOfBirth: string): Promise<{ pupil: Pupil; concern: Concern }> {
    const pupil = await factory.pupil(school, { dateOfBirth });
    const concern = await factory.concern(pupil, staff, {
      summary: 'Said she was hit at home',
      childsWords: 'Dad hit me',
      actionTaken: 'Told the DSP',
      bodyMap: [{ view: 'front', x: 10, y: 20, note: 'bruise' }],
    });
    return { pupil, concern };
  }

  it('lists pupils past their 25th birthday with records, oldest first, paged with a true total, for the right people only', async () => {
    const due: Pupil[] = [];
    for (const years of [30, 27, 26]) due.push((await pupilWithRecords(bornAgo(years))).pupil);
    await pupilWithRecords(bornAgo(20)); // not due
    await factory.pupil(school, { dateOfBirth: bornAgo(40) }); // no records
    const first = await retention.reviews(dsp, { page: 1, pageSize: 2 });
    expect(first.total).toBeGreaterThanOrEqual(3);
    const all = await retention.reviews(dsp, { page: 1, pageSize: 200 });
    const ids = all.items.map((item) => item.pupil.id);
    expect(ids.filter((id) => due.some((p) => p.id === id))).toEqual(due.map((p) => p.id));
    expect(first.items).toHaveLength(2);
    expect(all.items.map((item) => item.reviewOn)).toEqual([...all.items.map((item) => item.reviewOn)].sort());
    // The LA lead sees them too; another school's DSP and another LA's lead do not.
    expect((await retention.reviews(lead, { pageSize: 200 })).items.map((i) => i.pupil.id)).toEqual(
      expect.arrayContaining(due.map((p) => p.id)),
    );
    expect((await retention.reviews(otherDsp, {})).total).toBe(0);
    expect((await retention.reviews(otherLead, {})).total).toBe(0);
    // Roles that never review retention are refused (403); the read is audited.
    for (const actor of [staff, head, mash]) expect(await code(retention.reviews(actor, {}))).toBe('forbidden');
    const audited = await (
      await auditEntries(testApp)
    ).countBy({ action: 'retention_list.viewed', actorUserId: dsp.userId });
    expect(audited).toBeGreaterThanOrEqual(2);
  });

  it('shows a pupil’s retention only to its reviewers: 404 for everyone else', async () => {
    const { pupil } = await pupilWithRecords(bornAgo(26));
    expect((await retention.status(dsp, pupil.id)).due).toBe(true);
    expect((await retention.status(lead, pupil.id)).pupil.id).toBe(pupil.id);
    for (const actor of [otherDsp, staff, head, mash, otherLead])
      expect(await code(retention.status(actor, pupil.id))).toBe('not_found');
    expect(await code(retention.placeHold(otherDsp, pupil.id, { reason: 'x' }))).toBe('not_found');
    expect(await code(retention.propose(staff, pupil.id, { reason: 'x' }))).toBe('not_found');
  });

  it('refuses disposal before review, under a legal hold, by the same person; cancelling disposes of nothing', async () => {
    const young = await pupilWithRecords(bornAgo(24, -1));
    expect(await code(retention.propose(dsp, young.pupil.id, { reason: 'Reviewed' }))).toBe('not_yet_due');

    const { pupil } = await pupilWithRecords(bornAgo(26));
    await retention.placeHold(lead, pupil.id, { reason: 'Inquiry' });
    expect(await code(retention.placeHold(dsp, pupil.id, { reason: 'again' }))).toBe('already_held');
    expect(await code(retention.propose(dsp, pupil.id, { reason: 'Reviewed' }))).toBe('legal_hold');
    await retention.liftHold(lead, pupil.id, { reason: 'Inquiry over' });
    const proposed = await retention.propose(dsp, pupil.id, { reason: 'Reviewed' });
    const proposalId = proposed.pendingDisposal!.id;
    expect(await code(retention.propose(secondDsp, pupil.id, { reason: 'Again' }))).toBe('disposal_pending');
    expect(await code(retention.approve(dsp, proposalId))).toBe('disposal_same_person');
    // A hold placed while the proposal waits stops the approval too.
    await retention.placeHold(secondDsp, pupil.id, { reason: 'Police asked' });
    expect(await code(retention.approve(secondDsp, proposalId))).toBe('legal_hold');
    await retention.liftHold(secondDsp, pupil.id, { reason: 'Police done' });
    const cancelled = await retention.cancel(secondDsp, proposalId);
    expect(cancelled.pendingDisposal).toBeNull();
    expect(cancelled.disposal).toBeNull();
    expect(await code(retention.approve(secondDsp, proposalId))).toBe('disposal_not_pending');
    const concern = await testApp.dataSource.getRepository(Concern).findOneByOrFail({ pupilId: pupil.id });
    expect(concern.summary).toBe('Said she was hit at home');
    // Holds are appended, never edited: two holds, two lifts.
    expect(await testApp.dataSource.getRepository(LegalHold).countBy({ pupilId: pupil.id })).toBe(2);
    expect(await testApp.dataSource.getRepository(LegalHoldLift).count()).toBeGreaterThanOrEqual(2);
  });

  it('keeps holds and disposals with the organisation that holds the records, or the LA lead', async () => {
    const { pupil } = await pupilWithRecords(bornAgo(27));
    // A hold is lifted only by the organisation that placed it, or by the LA lead.
    await retention.placeHold(dsp, pupil.id, { reason: 'Police asked us to keep them' });
    expect(await code(retention.liftHold(lead, pupil.id, { reason: 'Checked with police' }))).toBe('ok');
    await retention.placeHold(lead, pupil.id, { reason: 'Council inquiry' });
    expect(await code(retention.liftHold(dsp, pupil.id, { reason: 'Not ours' }))).toBe('hold_placed_elsewhere');
    await retention.liftHold(lead, pupil.id, { reason: 'Inquiry over' });

    // The second person is a colleague of the proposer or the LA lead, never another school's DSP.
    const proposalId = (await retention.propose(dsp, pupil.id, { reason: 'Reviewed' })).pendingDisposal!.id;
    await factory.concern(pupil, otherDsp, { summary: 'Recorded at the other school' });
    expect(await code(retention.approve(otherDsp, proposalId))).toBe('approver_other_organisation');
    // Records made at another school meanwhile: the school alone may no longer dispose of them all.
    expect(await code(retention.approve(secondDsp, proposalId))).toBe('records_held_elsewhere');
    await retention.cancel(dsp, proposalId);
    expect(await code(retention.propose(dsp, pupil.id, { reason: 'Reviewed' }))).toBe('records_held_elsewhere');
    const byLead = (await retention.propose(lead, pupil.id, { reason: 'Reviewed for the authority' })).pendingDisposal!;
    expect(await code(retention.approve(otherDsp, byLead.id))).toBe('approver_other_organisation');
    const summaries = async () =>
      (await testApp.dataSource.getRepository(Concern).findBy({ pupilId: pupil.id })).map((row) => row.summary).sort();
    expect(await summaries()).toEqual(['Recorded at the other school', 'Said she was hit at home']);
  });

  it('disposes as two people: content removed, tombstone kept, chronology shows it, audit chain still verifies', async () => {
    const { pupil, concern } = await pupilWithRecords(bornAgo(26));
    await factory.decision(concern, dsp, { rationale: 'Monitor closely' });
    await factory.escalation(concern, dsp, { reasonForRoute: 'Risk at home' });
    await testApp.app.get(ActionsService).set(dsp, concern.id, {
      description: 'Phone mum',
      assigneeUserId: dsp.userId,
      dueOn: londonDateOf(new Date(Date.now() + 7 * 86_400_000)),
    });
    const file = await testApp.app.get(AttachmentsService).add(dsp, concern.id, {
      originalName: 'notes.pdf',
      bytes: tinyPdf('Private notes'),
    });

    const proposed = await retention.propose(dsp, pupil.id, { reason: 'Reviewed at 25: no longer needed' });
    const done = await retention.approve(lead, proposed.pendingDisposal!.id);
    expect(done.disposal).toMatchObject({
      reason: 'Reviewed at 25: no longer needed',
      proposedBy: { userId: dsp.userId, name: 'Dee Ess' },
      approvedBy: { userId: lead.userId, name: 'Lee Lead' },
      counts: { concerns: 1, decisions: 1, referrals: 1, actions: 1, attachments: 1 },
    });

    const ds = testApp.dataSource;
    const kept = await ds.getRepository(Concern).findOneByOrFail({ id: concern.id });
    expect(kept).toMatchObject({ summary: '', childsWords: null, actionTaken: null, bodyMap: null });
    expect((await ds.getRepository(ConcernDecision).findOneByOrFail({ concernId: concern.id })).rationale).toBe('');
    const referral = await ds.getRepository(Escalation).findOneByOrFail({ concernId: concern.id });
    expect(referral.reasonForRoute).toBeNull();
    expect(referral.referral).toEqual({});
    expect((await ds.getRepository(Action).findOneByOrFail({ concernId: concern.id })).description).toBe('');
    const placeholder = ds.options.type === 'postgres' ? '$1' : '?';
    const [bytes] = await ds.query<Array<{ filename: string; content: Buffer | Uint8Array }>>(
      `SELECT filename, content FROM concern_attachments WHERE id = ${placeholder}`,
      [file.id],
    );
    expect(bytes.filename).toBe('');
    expect(Buffer.from(bytes.content).length).toBe(0);

    // Off the review list; the chronology shows the tombstone and none of the records.
    expect((await retention.reviews(dsp, { pageSize: 200 })).items.map((i) => i.pupil.id)).not.toContain(pupil.id);
    const chronology = await testApp.app.get(ChronologyService).forPupil(dsp, pupil.id);
    const kinds = chronology.entries.map((entry) => entry.kind);
    expect(kinds).toContain('records_disposed');
    expect(kinds).not.toEqual(expect.arrayContaining(['concern_recorded']));
    expect(kinds).not.toContain('attachment_added');
    const tombstone = chronology.entries.find((entry) => entry.kind === 'records_disposed')!;
    expect(tombstone.title).toMatchObject({ key: 'retention.chronology.disposed', params: { name: 'Lee Lead' } });

    // The open concern is closed by the disposal (by the approver), so it leaves the queue and takes no
    // decision, referral or action.
    const closure = await ds.getRepository(ConcernClosure).findOneByOrFail({ concernId: concern.id });
    expect(closure).toMatchObject({ rationale: '', closedByUserId: lead.userId });
    const concerns = testApp.app.get(ConcernsService);
    const listed = async (status: 'open' | 'closed') =>
      (await concerns.listForOrganisation(dsp, status, { pageSize: 200 })).items.map((item) => item.id);
    expect(await listed('open')).not.toContain(concern.id);
    expect(await listed('closed')).toContain(concern.id);
    expect(
      await code(
        testApp.app.get(ActionsService).set(dsp, concern.id, {
          description: 'After disposal',
          assigneeUserId: dsp.userId,
          dueOn: londonDateOf(new Date(Date.now() + 86_400_000)),
        }),
      ),
    ).toBe('concern_closed');

    // Nothing more can be done to disposed records.
    expect(await code(retention.placeHold(dsp, pupil.id, { reason: 'late' }))).toBe('already_disposed');
    expect(await code(retention.propose(dsp, pupil.id, { reason: 'again' }))).toBe('already_disposed');

    // Audited without content, and the audit chain (never altered) still verifies.
    const entry = await ds
      .getRepository(AuditEntry)
      .findOneByOrFail({ action: 'disposal.approved', subjectId: pupil.id });
    expect(JSON.stringify(entry.details)).not.toContain('no longer needed');
    const { broken } = await verifyAuditChain(ds, { key: testApp.config.audit.key });
    expect(broken).toBeNull();
  });
});
