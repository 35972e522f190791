/**
 * The SQL that derives `concern_states` (dsp/concern-states) from the appended records, on both
 * engines. It lives here, below the domain, so the migration that creates the table backfills it with
 * exactly the SQL the app uses to keep it up to date (`dsp/concern-states/concern-states.ts`) and the
 * dataset generator uses to rebuild it. It reads tables only by name and imports nothing.
 */

/** The columns of `concern_states`, in the order the SELECT below gives them. */
export const CONCERN_STATE_COLUMNS = [
  'concern_id',
  'organisation_id',
  'pupil_id',
  'recorded_by_user_id',
  'recorded_at',
  'occurred_at',
  'status_rank',
  'list_key',
  'emergency',
  'triage_rank',
  'referred',
  'decision_id',
  'decision_outcome',
  'decision_guidance_level',
  'decision_below_guidance',
  'decision_phoned_at',
  'decision_decided_at',
  'referral_pending',
  'closed_at',
] as const;

/** Decisions to refer: the dashboard's "decided to refer, not sent" (police: a MASH referral counts too). */
export const REFERRING_OUTCOMES = ['mash', 'designated_officer', 'police'] as const;

const TEMP = 'abcdefghij';

/**
 * An instant's text with each digit d replaced by 9 - d: fixed-width ISO text whose ascending order is
 * the instants' descending order. `invertDigits` is the same in code.
 */
export function invertDigitsSql(expression: string): string {
  let sql = expression;
  for (let d = 0; d <= 9; d++) sql = `REPLACE(${sql}, '${d}', '${TEMP[9 - d]}')`;
  for (let d = 0; d <= 9; d++) sql = `REPLACE(${sql}, '${TEMP[d]}', '${d}')`;
  return sql;
}

export function invertDigits(text: string): string {
  return text.replace(/[0-9]/g, (digit) => String(9 - Number(digit)));
}

/**
 * SELECT giving one `concern_states` row per concern (all of them, or only the one named by the SQL
 * parameter `concernParam`, e.g. `$1` or `?1`). `emergencyIndicators`: the level-0 indicator codes.
 * `corrected` (from migration 1764642000000 on): a corrected concern's time and indicators are its
 * current ones, from `concern_current` (dsp/concerns/concern-amendments.service.ts); a migration before it passes false.
 */
export function concernStatesSelectSql(
  emergencyIndicators: readonly string[],
  concernParam?: string,
  corrected = true,
): string {
  const only = (column: string) => (concernParam ? ` WHERE ${column} = ${concernParam}` : '');
  const indicators = corrected ? 'COALESCE(cc.indicators, c.indicators)' : 'c.indicators';
  const occurredAt = corrected ? 'COALESCE(cc.occurred_at, c.occurred_at)' : 'c.occurred_at';
  const emergency = emergencyIndicators.length
    ? `(${emergencyIndicators.map((code) => `${indicators} LIKE '%"${code}"%'`).join(' OR ')})`
    : 'FALSE';
  const referring = REFERRING_OUTCOMES.map((outcome) => `'${outcome}'`).join(', ');
  return (
    `SELECT c.id, c.organisation_id, c.pupil_id, c.recorded_by_user_id, c.recorded_at, ${occurredAt}, ` +
    `CASE WHEN cl.concern_id IS NOT NULL THEN 2 WHEN d.id IS NOT NULL OR r.concern_id IS NOT NULL THEN 1 ELSE 0 END, ` +
    `CASE WHEN cl.concern_id IS NOT NULL THEN ${invertDigitsSql('c.recorded_at')} ELSE c.recorded_at END, ` +
    `CASE WHEN ${emergency} THEN TRUE ELSE FALSE END, ` +
    `CASE WHEN ${emergency} THEN 0 ELSE 1 END, ` +
    `CASE WHEN r.concern_id IS NOT NULL THEN TRUE ELSE FALSE END, ` +
    `d.id, d.outcome, d.guidance_level, COALESCE(d.below_guidance, FALSE), d.phoned_at, d.decided_at, ` +
    `CASE WHEN cl.concern_id IS NULL AND d.outcome IN (${referring}) AND NOT EXISTS (` +
    `SELECT 1 FROM escalations e WHERE e.concern_id = c.id ` +
    `AND (e.route = d.outcome OR (d.outcome = 'police' AND e.route = 'mash'))) ` +
    `THEN CASE WHEN d.phoned_at IS NULL THEN 'not_sent' ELSE 'phoned' END END, ` +
    `cl.closed_at ` +
    `FROM concerns c ` +
    (corrected ? `LEFT JOIN concern_current cc ON cc.concern_id = c.id ` : '') +
    `LEFT JOIN concern_closures cl ON cl.concern_id = c.id ` +
    `LEFT JOIN (SELECT x.id, x.concern_id, x.outcome, x.guidance_level, x.below_guidance, x.phoned_at, x.decided_at, ` +
    `ROW_NUMBER() OVER (PARTITION BY x.concern_id ORDER BY x.decided_at DESC, x.id DESC) AS rn ` +
    `FROM concern_decisions x${only('x.concern_id')}) d ON d.concern_id = c.id AND d.rn = 1 ` +
    `LEFT JOIN (SELECT DISTINCT y.concern_id FROM escalations y${only('y.concern_id')}) r ON r.concern_id = c.id ` +
    // SQLite needs a WHERE before an upsert's ON CONFLICT in INSERT ... SELECT.
    `WHERE ${concernParam ? `c.id = ${concernParam}` : '1 = 1'}`
  );
}

/** INSERT of every concern's row (the table empty first) or, with `concernParam`, an upsert of one. */
export function concernStatesInsertSql(
  emergencyIndicators: readonly string[],
  concernParam?: string,
  corrected = true,
): string {
  const columns = CONCERN_STATE_COLUMNS.join(', ');
  const select = concernStatesSelectSql(emergencyIndicators, concernParam, corrected);
  const insert = `INSERT INTO concern_states (${columns}) ${select}`;
  if (!concernParam) return insert;
  const updates = CONCERN_STATE_COLUMNS.filter((column) => column !== 'concern_id')
    .map((column) => `${column} = excluded.${column}`)
    .join(', ');
  return `${insert} ON CONFLICT (concern_id) DO UPDATE SET ${updates}`;
}
