import { EntityManager } from 'typeorm';
import { londonDateOf } from '../calendar/london-time';
import {
  AUDIT_COUNT_TRIGGER,
  auditCountRebuildStatements,
  auditCountTriggerSql,
} from '../database/migrations/audit-counts.sql';

/**
 * `audit_counts` (issue 9): how many chained audit entries each organisation's staff made, by action,
 * per London day, per London month and in all, so the audit page's true total for a local-authority
 * lead (four million entries and more) is a sum of a few hundred rows, not a count of the log. A
 * derived read model, never a record, written with the entries it counts: on SQLite by a trigger on
 * `audit_entries` (migration 1764643200000), in the very statement that inserts them, whoever inserts
 * them; on PostgreSQL in the transaction that puts entries on the chain (`AuditChainer`, or
 * `AuditService.append` outside a unit of work), which holds the chain's lock, so two writers never
 * race on a count. `rebuildAuditCounts` counts the whole log again (a bulk load). Entries without an
 * organisation (none today) are not counted: no scope reads them.
 */

/** What counting needs of an entry as it is chained. */
export interface CountedAuditEntry {
  at: Date;
  actorOrganisationId: string | null;
  action: string;
}

const engineOf = (manager: EntityManager): 'sqlite' | 'postgres' =>
  manager.connection.options.type === 'postgres' ? 'postgres' : 'sqlite';

/**
 * Adds the entries, just inserted onto the chain, to their day, month and all-time counts: one upsert
 * for the lot on PostgreSQL; nothing on SQLite, whose trigger counted them as they were inserted.
 */
export async function countChainedEntries(manager: EntityManager, entries: CountedAuditEntry[]): Promise<void> {
  if (engineOf(manager) === 'sqlite') return;
  const upsert = auditCountsUpsert(engineOf(manager), entries);
  if (upsert) await manager.query(upsert.sql, upsert.params);
}

/**
 * The upsert that adds the entries to their counts (null when none counts), with its parameters
 * numbered from `firstParam` on PostgreSQL, so it can go into a larger statement (the chainer moves
 * entries and counts them in one).
 */
export function auditCountsUpsert(
  engine: 'sqlite' | 'postgres',
  entries: CountedAuditEntry[],
  firstParam = 1,
): { sql: string; params: Array<string | number> } | null {
  const changes = new Map<string, number>();
  const add = (key: string) => changes.set(key, (changes.get(key) ?? 0) + 1);
  for (const entry of entries) {
    if (!entry.actorOrganisationId) continue;
    const day = londonDateOf(entry.at);
    for (const [span, bucket] of [
      ['day', day],
      ['month', day.slice(0, 7)],
      ['all', ''],
    ]) {
      add(JSON.stringify([entry.actorOrganisationId, span, bucket, entry.action]));
    }
  }
  if (changes.size === 0) return null;
  const postgres = engine === 'postgres';
  const params: Array<string | number> = [];
  const p = (value: string | number) => {
    params.push(value);
    return postgres ? `$${firstParam + params.length - 1}` : '?';
  };
  // In key order, so two transactions could never wait for each other round a loop.
  const rows = [...changes.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, n]) => {
      const [organisationId, span, bucket, action] = JSON.parse(key) as string[];
      return `(${p(organisationId)}, ${p(span)}, ${p(bucket)}, ${p(action)}, ${p(n)})`;
    });
  return {
    sql:
      `INSERT INTO audit_counts (organisation_id, span, bucket, action, n) VALUES ${rows.join(', ')} ` +
      'ON CONFLICT (organisation_id, span, bucket, action) DO UPDATE SET n = audit_counts.n + excluded.n',
    params,
  };
}

/**
 * A bulk load of the log (the LA generator) on SQLite: stops the trigger counting each inserted entry
 * (three upserts a row), for `rebuildAuditCounts` to count the whole log once at the end. Nothing on
 * PostgreSQL, where inserting entries counts nothing.
 */
export async function pauseAuditCounting(manager: EntityManager): Promise<void> {
  if (engineOf(manager) === 'sqlite') await manager.query(`DROP TRIGGER IF EXISTS ${AUDIT_COUNT_TRIGGER}`);
}

/** Counts the whole log again; on SQLite it also (re)creates the trigger, so counting goes on after a pause. */
export async function rebuildAuditCounts(manager: EntityManager): Promise<void> {
  const engine = engineOf(manager);
  if (engine === 'sqlite') await pauseAuditCounting(manager);
  for (const statement of auditCountRebuildStatements(engine)) await manager.query(statement);
  if (engine === 'sqlite') await manager.query(auditCountTriggerSql());
}

/** The last day of a `YYYY-MM` month, as `YYYY-MM-DD`. */
const lastDayOf = (month: string) => {
  const [year, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(year, m, 0)).getUTCDate()).padStart(2, '0')}`;
};
const nextMonth = (month: string) => {
  const [year, m] = month.split('-').map(Number);
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
};

/**
 * The number of chained entries made by the organisations' staff, optionally of one action and between
 * two London days (both included): the all-time rows without days; with days, the whole months inside
 * the range and the days at either end. Never reads the log.
 */
export async function countAuditEntries(
  manager: EntityManager,
  filter: { organisationIds: string[]; action?: string; from?: string; to?: string },
): Promise<number> {
  if (filter.organisationIds.length === 0) return 0;
  const qb = manager
    .createQueryBuilder()
    .select('COALESCE(SUM(counts.n), 0)', 'total')
    .from('audit_counts', 'counts')
    .where('counts.organisation_id IN (:...organisationIds)', { organisationIds: filter.organisationIds });
  if (filter.action) qb.andWhere('counts.action = :action', { action: filter.action });
  if (!filter.from && !filter.to) {
    qb.andWhere("counts.span = 'all'");
  } else {
    const from = filter.from ?? '0001-01-01';
    const to = filter.to ?? '9999-12-31';
    // Whole months: from the month after `from` (or its own, when `from` is the 1st) to the month
    // before `to` (or its own, when `to` is its last day). Days outside them come from day rows.
    let firstMonth = from.slice(0, 7);
    if (!from.endsWith('-01')) firstMonth = nextMonth(firstMonth);
    const lastMonth = to.slice(0, 7);
    const lastWhole = lastDayOf(lastMonth) === to ? lastMonth : null;
    const monthsTo = lastWhole ?? previousMonth(lastMonth);
    if (firstMonth <= monthsTo) {
      qb.andWhere(
        "((counts.span = 'month' AND counts.bucket >= :firstMonth AND counts.bucket <= :monthsTo) OR " +
          "(counts.span = 'day' AND ((counts.bucket >= :from AND counts.bucket < :firstDay) OR " +
          '(counts.bucket > :lastDay AND counts.bucket <= :to))))',
        { firstMonth, monthsTo, from, to, firstDay: `${firstMonth}-01`, lastDay: lastDayOf(monthsTo) },
      );
    } else {
      qb.andWhere("counts.span = 'day' AND counts.bucket >= :from AND counts.bucket <= :to", { from, to });
    }
  }
  const row = await qb.getRawOne<{ total: string | number }>();
  return Number(row?.total ?? 0);
}

const previousMonth = (month: string) => {
  const [year, m] = month.split('-').map(Number);
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
};
