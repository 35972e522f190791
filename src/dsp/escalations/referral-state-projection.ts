import { EntityManager } from 'typeorm';

/**
 * `referral_states` (referral-state.entity.ts) as SQL over the appended records, the same statement on
 * SQLite and PostgreSQL: the migration's backfill, `rebuildReferralStates` (the LA dataset generator)
 * and `projectReferralStates` (every append, through EscalationRepository.append) all use it, so the
 * stored state is always what the rule in referral-status.ts derives from the records.
 */

/** `expr` (an ISO instant) with each digit d mapped to the letter (9 - d) of a–j: a later time sorts first. */
function reversedTime(expr: string): string {
  let sql = expr;
  for (let digit = 0; digit <= 9; digit += 1) sql = `REPLACE(${sql}, '${digit}', '${'jihgfedcba'[digit]}')`;
  return sql;
}

const COLUMNS =
  'escalation_id, concern_id, pupil_id, organisation_id, local_authority_id, route, status_rank, ' +
  'sent_at, due_by, acknowledged_at, decided_at, inbox_key';

/** REFERRAL_STATUS_RANK: decided once it has an outcome; acknowledged once acknowledged; sent before that. */
const SELECT_STATES =
  `SELECT e.id, e.concern_id, e.pupil_id, e.organisation_id, e.local_authority_id, e.route, ` +
  `CASE WHEN o.escalation_id IS NOT NULL THEN 2 WHEN a.escalation_id IS NOT NULL THEN 1 ELSE 0 END, ` +
  `e.sent_at, e.due_by, a.acknowledged_at, o.decided_at, ` +
  `CASE WHEN o.escalation_id IS NOT NULL THEN '1' || ${reversedTime('e.sent_at')} ELSE '0' || e.sent_at END ` +
  `FROM escalations e ` +
  `LEFT JOIN escalation_acknowledgements a ON a.escalation_id = e.id ` +
  `LEFT JOIN escalation_outcomes o ON o.escalation_id = e.id`;

/** Every referral's state, rebuilt from the records (the migration's backfill runs the same statements). */
export const REBUILD_REFERRAL_STATES_SQL = [
  'DELETE FROM referral_states',
  `INSERT INTO referral_states (${COLUMNS}) ${SELECT_STATES}`,
] as const;

/** Rebuilds every referral's state from the records, in the caller's transaction. */
export async function rebuildReferralStates(manager: EntityManager): Promise<void> {
  for (const sql of REBUILD_REFERRAL_STATES_SQL) await manager.query(sql);
}

/**
 * Rewrites the state of `escalationIds` from their records, in the caller's transaction: the one
 * statement every append runs (EscalationRepository.append; the test factory's direct inserts too).
 */
export async function projectReferralStates(manager: EntityManager, escalationIds: readonly string[]): Promise<void> {
  const ids = [...new Set(escalationIds)];
  // At most 500 bound ids a statement (SQLite's default limit on parameters is far above it).
  for (let start = 0; start < ids.length; start += 500) {
    const [sql, parameters] = manager.connection.driver.escapeQueryWithParameters(
      `INSERT INTO referral_states (${COLUMNS}) ${SELECT_STATES} WHERE e.id IN (:...ids) ` +
        'ON CONFLICT (escalation_id) DO UPDATE SET status_rank = excluded.status_rank, ' +
        'due_by = excluded.due_by, acknowledged_at = excluded.acknowledged_at, ' +
        'decided_at = excluded.decided_at, inbox_key = excluded.inbox_key',
      { ids: ids.slice(start, start + 500) },
      {},
    );
    await manager.query(sql, parameters);
  }
}
