import { verifyAuditChain } from '../../src/audit/verify-audit-chain';
import { londonDateOf } from '../../src/calendar/london-time';
import { Actor } from '../../src/common/actor';
import { ConcernState } from '../../src/dsp/concern-states/concern-state.entity';
import { Concern } from '../../src/dsp/concerns/concern.entity';
import { ConcernsService } from '../../src/dsp/concerns/concerns.service';
import { RecordConcernDto } from '../../src/dsp/concerns/dto/record-concern.dto';
import { DirectoryService } from '../../src/guidance/directory/directory.service';
import { GuidanceSettings } from '../../src/guidance/directory/guidance-settings.entity';
import { NotFoundError } from '../../src/common/domain-error';
import { Notification } from '../../src/notifications/notification.entity';
import { Organisation } from '../../src/organisations/organisation.entity';
import { Pupil } from '../../src/school/pupil.entity';
import { SentStatement, statementsSent } from '../support/count-queries';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';
import { auditCaughtUp, auditEntries, releaseChainLocks, whileChainLocked } from '../support/audit-chain';

const DAY = 24 * 3600 * 1000;

/** A creation's statements split as the engines run them: reads before the write, the write, after its COMMIT. */
interface CreationStatements {
  before: string[];
  transaction: string[];
  after: string[];
}

/** The writing transaction is the query runner that inserted the concern; what ran before it, and after. */
function splitAtTheWrite(sent: SentStatement[]): CreationStatements {
  const insert = sent.findIndex(({ sql }) => /^\s*INSERT INTO "?concerns"?\s*\(/i.test(sql));
  expect(insert).toBeGreaterThanOrEqual(0);
  const writer = sent[insert].runner;
  const begin = sent.findIndex(({ runner, sql }) => runner === writer && /^\s*(BEGIN|START TRANSACTION)/i.test(sql));
  const commit = sent.findIndex((s, i) => i > insert && s.runner === writer && /^\s*COMMIT/i.test(s.sql));
  const ofWriter = sent.slice(begin, commit + 1).filter(({ runner }) => runner === writer);
  // Nothing else runs on the one writer (SQLite) or in this transaction (PostgreSQL) meanwhile.
  expect(sent.slice(begin, commit + 1).filter(({ runner }) => runner !== writer)).toEqual([]);
  return {
    before: sent.slice(0, begin).map(({ sql }) => sql),
    transaction: ofWriter.map(({ sql }) => sql),
    after: sent.slice(commit + 1).map(({ sql }) => sql),
  };
}

/**
 * Issue 9 ("What next" 3): what one `POST /api/concerns` costs in statements. Under load each statement
 * is a trip through the one event loop, and on SQLite every statement of the write transaction holds the
 * one writer; the counts are exact so they fail if they grow back. The creation's effects are asserted
 * too, so a creation that silently does less cannot pass.
 */
describe(`${ConcernsService.name}.record: statements of one creation`, () => {
  let testApp: TestApp;
  let factory: Factory;
  let concerns: ConcernsService;
  const orgs = {} as Record<'la' | 'school' | 'pru', Organisation>;
  const people = {} as Record<'dsp' | 'otherDsp' | 'pruDsp' | 'teacher' | 'strangerDsp', Actor>;
  let pupil: Pupil;

  afterEach(() => releaseChainLocks());

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    concerns = testApp.app.get(ConcernsService);
    factory = new Factory(testApp.dataSource);
    orgs.la = await factory.localAuthority();
    orgs.school = await factory.school(orgs.la);
    orgs.pru = await factory.pru(orgs.la);
    people.dsp = await factory.actor(orgs.school, 'dsp');
    people.otherDsp = await factory.actor(orgs.school, 'dsp');
    people.pruDsp = await factory.actor(orgs.pru, 'dsp');
    people.teacher = await factory.actor(orgs.school, 'staff');
    people.strangerDsp = await factory.actor(await factory.school(orgs.la), 'dsp');
    // The authority's own directory and a tuned threshold: one earlier concern in 30 days is a pattern.
    await testApp.dataSource.transaction((manager) =>
      testApp.app.get(DirectoryService).seedDefaults(manager, orgs.la.id, 'Lead'),
    );
    await testApp.dataSource.getRepository(GuidanceSettings).insert({
      localAuthorityId: orgs.la.id,
      thresholds: { patternFrequencyCount: 1 },
      earlyHelpResponseDays: null,
      updatedAt: new Date(),
      updatedByName: 'Lead',
    });
    pupil = await factory.pupil(orgs.school, { lookedAfter: true });
    await factory.enrol(pupil, orgs.pru, 'dual');
    await factory.concern(pupil, people.teacher, { occurredAt: new Date(Date.now() - 3 * DAY), category: 'neglect' });
    // A first creation warms what is made once (the actor query, the read connections).
    await concerns.record(people.dsp, draft());
  });

  afterAll(() => testApp.close());

  // Two hours ago, fixed once, so the day it is counted on is the day the test reads.
  const occurredAt = new Date(Date.now() - 2 * 3600 * 1000);
  const draft = (): RecordConcernDto => ({
    pupilId: pupil.id,
    occurredAt: occurredAt.toISOString(),
    category: 'wellbeing',
    issues: ['housing'],
    summary: 'Said there was no food at home over the weekend.',
    evidenceBasis: 'disclosed_by_child',
  });

  const concernsCountedToday = async () => {
    const row = await testApp.dataSource
      .createQueryBuilder()
      .select('counts.concerns', 'n')
      .from('referral_balance_counts', 'counts')
      .where("counts.organisation_id = :id AND counts.span = 'day' AND counts.bucket = :day", {
        id: orgs.school.id,
        day: londonDateOf(occurredAt),
      })
      .getRawOne<{ n: number | string }>();
    return Number(row?.n ?? 0);
  };

  const auditCountsOfRecording = async () => {
    await auditCaughtUp(testApp); // the chain's counts, written as entries are chained
    const row = await testApp.dataSource
      .createQueryBuilder()
      .select('counts.n', 'n')
      .from('audit_counts', 'counts')
      .where("counts.organisation_id = :id AND counts.span = 'all' AND counts.action = 'concern.recorded'", {
        id: orgs.school.id,
      })
      .getRawOne<{ n: number | string }>();
    return Number(row?.n ?? 0);
  };

  it('a DSP recording a concern costs exact statements, and stores the concern, its audit entry, its notifications and counts', async () => {
    const [countedBefore, auditCountedBefore] = [await concernsCountedToday(), await auditCountsOfRecording()];
    let recorded!: Awaited<ReturnType<ConcernsService['record']>>;
    const postgres = testApp.database.engine === 'postgres';
    // On PostgreSQL with the chain lock held by another session: no chaining run can finish while the
    // creation runs, so it is counted with nothing it might wait for, and it answers all the same.
    const count = () =>
      statementsSent(testApp.dataSource, async () => {
        recorded = await concerns.record(people.dsp, draft());
      });
    const sent = postgres ? await whileChainLocked(testApp.database.url, count) : await count();
    const { before, transaction, after } = splitAtTheWrite(sent);

    // The concern, its audit entry (chained on SQLite, pending on PostgreSQL) in the same transaction.
    expect(transaction[0]).toMatch(/^\s*(BEGIN|START TRANSACTION)/i);
    expect(transaction.at(-1)).toMatch(/^\s*COMMIT/i);
    expect(transaction.filter((sql) => /INSERT INTO "?concerns"?\s*\(/i.test(sql))).toHaveLength(1);
    expect(transaction.filter((sql) => /INSERT INTO "?audit_(entries|pending)"?/i.test(sql))).toHaveLength(1);

    // What the DSP is shown: the history (the earlier concern), the tuned threshold, the pupil's flags
    // and the authority's directory all counted.
    expect(recorded.status).toBe('awaiting_triage');
    expect(recorded.guidance.triggers.map((t) => t.code)).toContain('pattern_frequency');
    expect(recorded.guidance.alsoDo.map((step) => step.code)).toContain('tell_social_worker');
    expect(recorded.guidance.services.length).toBeGreaterThan(0);

    const stored = await testApp.dataSource.getRepository(Concern).findOneByOrFail({ id: recorded.id });
    expect(stored).toMatchObject({ pupilId: pupil.id, organisationId: orgs.school.id, category: 'wellbeing' });
    const state = await testApp.dataSource.getRepository(ConcernState).findOneByOrFail({ concernId: recorded.id });
    expect(state.organisationId).toBe(orgs.school.id);
    const entries = await (await auditEntries(testApp)).findBy({ action: 'concern.recorded', subjectId: recorded.id });
    expect(entries).toHaveLength(1);
    // Both schools' DSPs but not the recorder, once each.
    const told = await testApp.dataSource.getRepository(Notification).findBy({ eventKey: recorded.id });
    expect(told.map((n) => n.userId).sort()).toEqual([people.otherDsp.userId, people.pruDsp.userId].sort());
    expect(await concernsCountedToday()).toBe(countedBefore + 1);
    expect(await auditCountsOfRecording()).toBe(auditCountedBefore + 1);
    const { broken } = await verifyAuditChain(testApp.dataSource, { key: testApp.config.audit.key });
    expect(broken).toBeNull();

    // Before the write (a read connection's BEGIN/COMMIT on SQLite, pooled reads on PostgreSQL): the
    // pupil's flags with the chronology's roll check, which decides first; then one statement of the
    // history (concerns with their corrections, MASH referrals), the directory with the thresholds, and
    // whom to tell (the DSPs where the pupil is enrolled, the organisation's names). The write, BEGIN to
    // COMMIT: the concern guarded by the roll check, its state, the notifications, the day counts, the
    // audit entry (SQLite: one guarded insert, counted by its trigger). Nothing after it: on PostgreSQL
    // the entry is chained behind the request (until 2 December four statements, the chaining run, were
    // waited for here).
    expect({ before: before.length, transaction: transaction.length, after: after.length }).toEqual(
      postgres ? { before: 2, transaction: 7, after: 0 } : { before: 4, transaction: 7, after: 0 },
    );
    const reads = before.filter((sql) => !/^\s*(BEGIN|COMMIT)/i.test(sql));
    expect(reads[0]).toMatch(/FROM "?pupils"?/i);
    expect(reads[1]).toMatch(/\bUNION ALL\b/i);
  });

  it('a DSP whose roll the pupil is not on is answered 404 by the access check, before the history or whom to tell is read', async () => {
    const concernsBefore = await testApp.dataSource.getRepository(Concern).countBy({ pupilId: pupil.id });
    let refusal: unknown;
    const sent = await statementsSent(testApp.dataSource, async () => {
      refusal = await concerns.record(people.strangerDsp, draft()).catch((error: unknown) => error);
    });
    expect(refusal).toBeInstanceOf(NotFoundError);
    // The one statement of history, directory and recipients never ran: the roll check refused first.
    expect(sent.filter(({ sql }) => /\bUNION ALL\b/i.test(sql))).toEqual([]);
    expect(sent.filter(({ sql }) => /\b(escalations|memberships)\b/i.test(sql))).toEqual([]);
    expect(await testApp.dataSource.getRepository(Concern).countBy({ pupilId: pupil.id })).toBe(concernsBefore);
  });
});
