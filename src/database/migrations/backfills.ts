import { EntityManager } from 'typeorm';
import { pupilSearchFields } from '../../common/search-text';

/**
 * Backfills for columns that copy or derive from what a row already holds (issue 9), run by migration
 * 1764640300000 and by a bulk load that writes rows in raw SQL (the dataset generator): each fills only
 * what is missing, so running it again does nothing. Re-exported by their owners: school's
 * `rebuildPupilSearch` and audit's `rebuildAuditPupilIds`.
 */

/** Rows per UPDATE in `rebuildPupilSearch`: 11 parameters a row, well inside either engine's limit. */
const REBUILD_BATCH = 100;

/**
 * Fills the search columns of pupils written without them (a bulk load in raw SQL, or rows older than
 * the columns), or of every pupil with `{ all: true }`. Returns how many rows it wrote. Idempotent;
 * cheap when there is nothing to do (one indexed query). The dataset generator calls it after loading
 * pupils; migration 1764640300000 calls it once.
 */
export async function rebuildPupilSearch(manager: EntityManager, options: { all?: boolean } = {}): Promise<number> {
  const postgres = manager.connection.options.type === 'postgres';
  let written = 0;
  let after = '';
  for (;;) {
    const rows: Array<{ id: string; first_name: string; last_name: string; preferred_name: string | null }> =
      await manager.query(
        `SELECT id, first_name, last_name, preferred_name FROM pupils WHERE id > ${postgres ? '$1' : '?'}` +
          (options.all ? '' : ' AND search_full_name IS NULL') +
          ` ORDER BY id LIMIT ${REBUILD_BATCH}`,
        [after],
      );
    if (rows.length === 0) return written;
    const params: Array<string | null> = [];
    const p = (value: string | null) => {
      params.push(value);
      return postgres ? `$${params.length}` : '?';
    };
    const fields = rows.map((row) => ({
      id: row.id,
      ...pupilSearchFields({ firstName: row.first_name, lastName: row.last_name, preferredName: row.preferred_name }),
    }));
    const set = (column: string, pick: (f: (typeof fields)[number]) => string | null) =>
      `${column} = CASE id ${fields.map((f) => `WHEN ${p(f.id)} THEN ${p(pick(f))}`).join(' ')} END`;
    const sql =
      `UPDATE pupils SET ${set('search_first_name', (f) => f.searchFirstName)}, ` +
      `${set('search_last_name', (f) => f.searchLastName)}, ` +
      `${set('search_preferred_name', (f) => f.searchPreferredName)}, ` +
      `${set('search_full_name', (f) => f.searchFullName)}, ` +
      `${set('search_last_name_part', (f) => f.searchLastNamePart)} ` +
      `WHERE id IN (${fields.map((f) => p(f.id)).join(', ')})`;
    await manager.query(sql, params);
    written += rows.length;
    after = rows[rows.length - 1].id;
  }
}

/**
 * Fills `audit_entries.pupil_id` on entries written without it (before the column existed, or by a bulk
 * load in raw SQL) from the hashed fields: `subject_id` when the subject is a pupil, else
 * `details.pupilId`. Two statements; idempotent. The hash is not touched (audit/audit-pupil-column.ts).
 */
export async function rebuildAuditPupilIds(manager: EntityManager): Promise<void> {
  const postgres = manager.connection.options.type === 'postgres';
  await manager.query(
    "UPDATE audit_entries SET pupil_id = subject_id WHERE pupil_id IS NULL AND subject_type = 'pupil'",
  );
  const fromDetails = postgres ? "(details::json ->> 'pupilId')" : "json_extract(details, '$.pupilId')";
  await manager.query(
    `UPDATE audit_entries SET pupil_id = ${fromDetails} ` +
      `WHERE pupil_id IS NULL AND subject_type <> 'pupil' AND details LIKE '%"pupilId":"%'`,
  );
}
