import { DataSource } from 'typeorm';
import { countAuditEntries, countChainedEntries, rebuildAuditCounts } from '../../src/audit/audit-counts';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { parseAuditFilter } from '../../src/audit/audit-filter';
import { newId } from '../../src/common/ids';
import { bootTestApp, TestApp } from '../support/test-app';

/**
 * audit_counts against the log itself: the counts kept as entries are chained, and the counts a rebuild
 * makes, give the same totals as counting the entries, for every kind of day range, across London's
 * midnight in summer and winter time and across months and years.
 */
describe('audit counts (the audit page total without counting the log)', () => {
  let testApp: TestApp;
  let dataSource: DataSource;
  const schoolA = newId();
  const schoolB = newId();

  // Instants either side of London midnights: summer time starts 29 March 2026 01:00 UTC and ends
  // 25 October 2026 01:00 UTC; month and year ends in winter time.
  const instants = [
    '2025-12-31T23:59:59.000Z',
    '2026-01-01T00:00:00.000Z',
    '2026-01-31T23:59:00.000Z',
    '2026-02-01T00:00:00.000Z',
    '2026-02-15T12:00:00.000Z',
    '2026-03-28T23:30:00.000Z',
    '2026-03-29T00:59:59.999Z',
    '2026-03-29T01:00:00.000Z',
    '2026-03-31T22:59:00.000Z', // London 31 March 23:59
    '2026-03-31T23:00:00.000Z', // London 1 April 00:00
    '2026-06-30T23:30:00.000Z', // London 1 July 00:30
    '2026-10-24T22:59:00.000Z', // London 24 October 23:59
    '2026-10-24T23:30:00.000Z', // London 25 October 00:30
    '2026-10-25T00:30:00.000Z', // London 25 October 01:30 (summer time still)
    '2026-10-25T23:30:00.000Z', // London 25 October 23:30 (winter time)
    '2026-11-30T23:59:00.000Z',
  ];

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    dataSource = testApp.dataSource;
    const rows: AuditEntry[] = [];
    let seq = 0;
    instants.forEach((at, i) => {
      for (const [organisationId, action] of [
        [schoolA, 'pupil.viewed'],
        [schoolA, 'concern.recorded'],
        [schoolB, 'pupil.viewed'],
        [null, 'pupil.viewed'],
      ] as const) {
        if (organisationId === schoolB && i % 3 === 0) continue;
        seq += 1;
        rows.push({
          seq,
          id: newId(),
          at: new Date(at),
          actorUserId: null,
          actorName: 'Test',
          actorRole: null,
          actorOrganisationId: organisationId,
          action,
          subjectType: 'pupil',
          subjectId: newId(),
          details: null,
          pupilId: null,
          prevHash: 'x',
          hash: 'x',
        });
      }
    });
    // Chained as the app chains: a few entries at a time, counted in the same transaction (on SQLite by
    // the trigger on audit_entries as they are inserted, and countChainedEntries adds nothing more).
    for (let i = 0; i < rows.length; i += 5) {
      const batch = rows.slice(i, i + 5);
      await dataSource.transaction(async (manager) => {
        await manager.getRepository(AuditEntry).insert(batch);
        await countChainedEntries(manager, batch);
      });
    }
  });

  afterAll(() => testApp.close());

  const countsTable = async () =>
    (
      await dataSource.query<
        Array<{ organisation_id: string; span: string; bucket: string; action: string; n: unknown }>
      >(
        'SELECT organisation_id, span, bucket, action, n FROM audit_counts ORDER BY organisation_id, span, bucket, action',
      )
    ).map((row) => ({ ...row, n: Number(row.n) }));

  const countInLog = async (filter: { organisationIds: string[]; action?: string; from?: string; to?: string }) => {
    const bounds = parseAuditFilter({ from: filter.from, to: filter.to });
    const qb = dataSource
      .getRepository(AuditEntry)
      .createQueryBuilder('entry')
      .where('entry.actor_organisation_id IN (:...ids)', { ids: filter.organisationIds });
    if (filter.action) qb.andWhere('entry.action = :action', { action: filter.action });
    if (bounds.atOrAfter) qb.andWhere('entry.at >= :atOrAfter', { atOrAfter: bounds.atOrAfter });
    if (bounds.before) qb.andWhere('entry.at < :before', { before: bounds.before });
    return qb.getCount();
  };

  const ranges: Array<[string | undefined, string | undefined]> = [
    [undefined, undefined],
    ['2026-01-01', undefined],
    [undefined, '2026-03-31'],
    ['2026-01-01', '2026-12-31'],
    ['2025-12-31', '2025-12-31'],
    ['2026-01-31', '2026-02-01'],
    ['2026-02-01', '2026-02-28'],
    ['2026-02-02', '2026-02-27'],
    ['2026-03-29', '2026-03-29'],
    ['2026-03-28', '2026-04-01'],
    ['2026-04-01', '2026-06-30'],
    ['2026-07-01', '2026-10-24'],
    ['2026-10-25', '2026-10-25'],
    ['2026-10-24', '2026-11-30'],
    ['2025-01-15', '2026-11-15'],
  ];

  it('gives, for every range of days, scope and action, the number of entries in the log', async () => {
    for (const [from, to] of ranges) {
      for (const organisationIds of [[schoolA], [schoolB], [schoolA, schoolB]]) {
        for (const action of [undefined, 'pupil.viewed', 'concern.recorded']) {
          const filter = { organisationIds, action, from, to };
          expect([filter, await countAuditEntries(dataSource.manager, filter)]).toEqual([
            filter,
            await countInLog(filter),
          ]);
        }
      }
    }
  });

  it('counts the same after a rebuild from the log as it did entry by entry', async () => {
    const kept = await countsTable();
    expect(kept.length).toBeGreaterThan(0);
    await dataSource.transaction((manager) => rebuildAuditCounts(manager));
    expect(await countsTable()).toEqual(kept);
  });

  it('counts nothing for entries without an organisation, and nothing for an empty scope', async () => {
    expect(await countAuditEntries(dataSource.manager, { organisationIds: [] })).toBe(0);
    const counted = await dataSource.query<Array<{ n: unknown }>>(
      "SELECT COALESCE(SUM(n), 0) AS n FROM audit_counts WHERE span = 'all'",
    );
    expect(Number(counted[0].n)).toBe(
      await dataSource
        .getRepository(AuditEntry)
        .createQueryBuilder('e')
        .where('e.actor_organisation_id IS NOT NULL')
        .getCount(),
    );
  });
});
