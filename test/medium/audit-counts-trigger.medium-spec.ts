import { DataSource } from 'typeorm';
import { auditCountsUpsert, countChainedEntries, rebuildAuditCounts } from '../../src/audit/audit-counts';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { newId } from '../../src/common/ids';
import { parseDatabaseUrl } from '../../src/config/database-url';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { MIGRATIONS } from '../../src/database/migrations';
import { AuditCountsTrigger1764643200000 } from '../../src/database/migrations/1764643200000-AuditCountsTrigger';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const onPostgres = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '');

/**
 * SQLite keeps `audit_counts` with a trigger on `audit_entries` from migration 1764643200000 on. A
 * database that the app counted in code before it keeps its counts through the migration, and every
 * entry inserted after it is counted once, whoever inserts it. PostgreSQL counts in its chainer (the
 * migration does nothing there), so this is SQLite's.
 */
(onPostgres ? describe.skip : describe)('audit counts kept by the SQLite trigger', () => {
  let database: TestDatabase;
  let dataSource: DataSource | undefined;
  const school = newId();
  let seq = 0;

  const entry = (at: string, action: string, organisationId: string | null = school): AuditEntry => ({
    seq: ++seq,
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
  const open = async (migrations: typeof MIGRATIONS) => {
    const options = dataSourceOptions(parseDatabaseUrl(database.url), [AuditEntry]);
    dataSource = await new DataSource({ ...options, migrations }).initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    return dataSource;
  };
  const countsTable = async (source: DataSource) =>
    (
      await source.query<Array<{ organisation_id: string; span: string; bucket: string; action: string; n: unknown }>>(
        'SELECT organisation_id, span, bucket, action, n FROM audit_counts ORDER BY organisation_id, span, bucket, action',
      )
    ).map((row) => ({ ...row, n: Number(row.n) }));

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await database?.drop();
  });

  it('keeps the counts made before the migration, and counts each entry inserted after it once', async () => {
    // Before: the app inserted the entries and upserted their counts itself.
    const before = await open(MIGRATIONS.filter((migration) => migration !== AuditCountsTrigger1764643200000));
    const earlier = [
      entry('2026-03-29T00:30:00.000Z', 'pupil.viewed'),
      entry('2026-03-29T23:30:00.000Z', 'pupil.viewed'), // London 30 March 00:30 (summer time)
      entry('2026-10-25T23:30:00.000Z', 'concern.recorded'),
      entry('2026-10-26T00:30:00.000Z', 'pupil.viewed', null),
    ];
    await before.transaction(async (manager) => {
      await manager.getRepository(AuditEntry).insert(earlier);
      const upsert = auditCountsUpsert('sqlite', earlier)!;
      await manager.query(upsert.sql, upsert.params);
    });
    const counted = await countsTable(before);
    expect(counted.filter((row) => row.span === 'all')).toEqual([
      { organisation_id: school, span: 'all', bucket: '', action: 'concern.recorded', n: 1 },
      { organisation_id: school, span: 'all', bucket: '', action: 'pupil.viewed', n: 2 },
    ]);
    await before.destroy();

    // The migration: nothing recounted or changed.
    const after = await open(MIGRATIONS);
    expect(await countsTable(after)).toEqual(counted);

    // After: inserted entries are counted by the trigger alone, however they are inserted.
    const later = [
      entry('2026-03-29T23:45:00.000Z', 'pupil.viewed'),
      entry('2026-12-31T23:59:59.000Z', 'concern.recorded'),
      entry('2027-01-01T00:00:00.000Z', 'concern.recorded', null),
    ];
    await after.transaction(async (manager) => {
      await manager.getRepository(AuditEntry).insert(later.slice(0, 2));
      await countChainedEntries(manager, later.slice(0, 2)); // nothing on SQLite: the trigger has counted
    });
    await after.query(
      'INSERT INTO audit_entries (seq, id, at, actor_name, actor_organisation_id, action, subject_type, subject_id, prev_hash, hash) ' +
        "VALUES (?, ?, ?, 'Script', NULL, 'concern.recorded', 'pupil', ?, 'x', 'x')",
      [later[2].seq, later[2].id, later[2].at.toISOString(), later[2].subjectId],
    );
    const kept = await countsTable(after);
    expect(kept.filter((row) => row.span === 'all')).toEqual([
      { organisation_id: school, span: 'all', bucket: '', action: 'concern.recorded', n: 2 },
      { organisation_id: school, span: 'all', bucket: '', action: 'pupil.viewed', n: 3 },
    ]);
    expect(kept.filter((row) => row.span === 'day' && row.action === 'pupil.viewed')).toEqual([
      { organisation_id: school, span: 'day', bucket: '2026-03-29', action: 'pupil.viewed', n: 1 },
      { organisation_id: school, span: 'day', bucket: '2026-03-30', action: 'pupil.viewed', n: 2 },
    ]);
    // The same as counting the whole log again, which leaves the trigger counting.
    await after.transaction((manager) => rebuildAuditCounts(manager));
    expect(await countsTable(after)).toEqual(kept);
    await after.query(
      "INSERT INTO audit_entries (seq, id, at, actor_name, actor_organisation_id, action, subject_type, subject_id, prev_hash, hash) VALUES (?, ?, '2027-01-02T10:00:00.000Z', 'Script', ?, 'pupil.viewed', 'pupil', ?, 'x', 'x')",
      [++seq, newId(), school, newId()],
    );
    const all = await countsTable(after);
    expect(all.find((row) => row.span === 'all' && row.action === 'pupil.viewed')?.n).toBe(4);
    expect(all.find((row) => row.span === 'month' && row.bucket === '2027-01')?.n).toBe(1);
  });
});
