import { DataSource } from 'typeorm';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { SqliteQueryRunner } from 'typeorm/driver/sqlite/SqliteQueryRunner';
import { SWEEP_PROBE_SQL } from '../../src/audit/audit-chainer';
import { CHECKPOINT_HEAD_SQL } from '../../src/audit/audit-checkpointer';
import { Actor } from '../../src/common/actor';
import { DspWorklistReader } from '../../src/dsp/dsp-worklist';
import { DashboardService } from '../../src/home/dashboard.service';
import { Organisation } from '../../src/organisations/organisation.entity';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';

/**
 * Every statement sent while `work` runs, on any connection: on SQLite reads run on read-only
 * connections of their own, which the DataSource's logger (test/support/count-queries.ts) does not see.
 */
async function statementsOf(dataSource: DataSource, work: () => Promise<unknown>): Promise<string[]> {
  const runner = (dataSource.options.type === 'postgres' ? PostgresQueryRunner : SqliteQueryRunner).prototype;
  const spy = jest.spyOn(runner, 'query');
  try {
    await work();
    return spy.mock.calls.map(([sql]) => sql).filter((sql) => sql !== SWEEP_PROBE_SQL && sql !== CHECKPOINT_HEAD_SQL);
  } finally {
    spy.mockRestore();
  }
}

/**
 * Statements per dashboard for a DSP, BEGIN and COMMIT included: the sections' read (9), the open
 * concerns' (4) and the referrals' (4) transactions, and one statement for the page's other counts
 * (the roll, the DSP's actions, placements, transfers); no actions nor placements, so no list of them.
 */
const DASHBOARD_STATEMENTS = 18;

describe(`${DashboardService.name} for a DSP`, () => {
  let testApp: TestApp;
  let factory: Factory;
  let dashboard: DashboardService;
  let worklist: DspWorklistReader;
  const orgs = {} as Record<'la' | 'school', Organisation>;
  const people = {} as Record<'dsp' | 'teacher', Actor>;

  /** `n` concerns in every section of the DSP's dashboard, and `n` referrals waiting for an answer. */
  const fillEverySection = async (n: number) => {
    const longAgo = new Date(Date.now() - 30 * 24 * 3600 * 1000);
    for (let i = 0; i < n; i += 1) {
      const pupil = await factory.pupil(orgs.school);
      await factory.concern(pupil, people.teacher, { indicators: ['suicidal_intent'] });
      await factory.concern(pupil, people.teacher);
      const police = await factory.concern(pupil, people.teacher);
      await factory.decision(police, people.dsp, { outcome: 'police', reasonableCause: 'yes' });
      const phoned = await factory.concern(pupil, people.teacher);
      await factory.decision(phoned, people.dsp, {
        outcome: 'mash',
        reasonableCause: 'yes',
        phonedAt: new Date(Date.now() - 3600 * 1000),
      });
      const below = await factory.concern(pupil, people.teacher);
      await factory.decision(below, people.dsp, { belowGuidance: true, guidanceLevel: 0, guidanceRoute: 'police' });
      const reported = await factory.concern(pupil, people.teacher, { recordedAt: longAgo });
      await factory.escalation(reported, people.teacher, { dspUnavailable: true, sentAt: longAgo });
    }
  };

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    factory = new Factory(testApp.dataSource);
    dashboard = testApp.app.get(DashboardService);
    worklist = testApp.app.get(DspWorklistReader);
    orgs.la = await factory.localAuthority();
    orgs.school = await factory.school(orgs.la);
    people.dsp = await factory.actor(orgs.school, 'dsp');
    people.teacher = await factory.actor(orgs.school, 'staff');
  });
  afterAll(() => testApp.close());

  it('reads the dashboard in as many statements with a page of work in every section as with one item', async () => {
    await fillEverySection(1);
    let first = await dashboard.forActor(people.dsp);
    const one = await statementsOf(testApp.dataSource, async () => (first = await dashboard.forActor(people.dsp)));
    await fillEverySection(11);
    let full = await dashboard.forActor(people.dsp);
    const many = await statementsOf(testApp.dataSource, async () => (full = await dashboard.forActor(people.dsp)));

    const worklistOf = (d: typeof full) => d.triage!.worklist;
    // Two concerns of each round wait for triage, one of them an emergency.
    const perRound = { queue: 2, staffReports: 1, phoned: 1, notSent: 1, below: 1, chase: 1 };
    for (const section of ['queue', 'staffReports', 'phoned', 'notSent', 'below', 'chase'] as const) {
      expect([section, worklistOf(first)[section].total]).toEqual([section, perRound[section]]);
      // True counts, never the length of the page shown.
      expect([section, worklistOf(full)[section].total]).toEqual([section, 12 * perRound[section]]);
      expect([section, worklistOf(full)[section].items.length]).toEqual([section, 10]);
    }
    expect(worklistOf(full).emergencies).toBe(12);
    expect(many).toHaveLength(one.length);
    // Was 58, then 36 (docs/performance.md): fails if a section's look-ups or a count come back.
    expect(one.length).toBeLessThanOrEqual(DASHBOARD_STATEMENTS);
  });

  it("reads the DSP's sections in one statement for every count and one for each page that has rows", async () => {
    const statements = await statementsOf(testApp.dataSource, () => worklist.forActor(people.dsp, { queue: 4 }));
    const reads = statements.filter((sql) => /^\s*SELECT/i.test(sql));
    // The counts, then five pages (the queue's fourth page is past its end, so it reads nothing).
    expect(reads).toHaveLength(6);
    const listed = await worklist.forActor(people.dsp, { queue: 2 });
    expect(listed.queue).toMatchObject({ total: 24, page: 2 });
    expect(listed.queue.items).toHaveLength(10);
  });
});
