import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { foldForSearch, SEARCH_NAME_LENGTH } from '../common/search-text';

export { pupilSearchFields, foldForSearch } from '../common/search-text';
export { rebuildPupilSearch } from '../database/migrations/backfills';

/**
 * Pupil search (issue 9): by the start of a first, last or preferred name, of "first last", or by a
 * whole UPN, through indexes. Each pupil row keeps its names folded for search (`search_*` columns:
 * lower case, accents and ligatures folded, spaces collapsed), written with the row
 * (`PupilSearchSubscriber`) and backfilled by `rebuildPupilSearch`. A prefix is matched as a range
 * (`>= 'jon' AND < 'jon\u{10FFFF}'`) over byte-ordered columns (SQLite's BINARY; `COLLATE "C"` on
 * PostgreSQL), which both engines answer from a plain B-tree index, with no LIKE escaping to get wrong.
 */

/** Above every character a folded name holds, so `prefix + PREFIX_END` bounds the names that start with `prefix`. */
const PREFIX_END = '\u{10FFFF}';

/**
 * Narrows a query over pupils to those whose first, last or preferred name (or the later part of a
 * double-barrelled surname) starts with the term, whose
 * "first last" starts with it (a term with a space), or whose UPN is the term (case ignored).
 */
export function whereNameOrUpnMatches<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  term: string,
): SelectQueryBuilder<T> {
  const folded = foldForSearch(term).slice(0, SEARCH_NAME_LENGTH);
  const [lo, hi, upn] = ['pupilSearchFrom', 'pupilSearchTo', 'pupilSearchUpn'];
  const columns = folded.includes(' ')
    ? ['search_full_name', 'search_first_name', 'search_last_name', 'search_preferred_name']
    : ['search_first_name', 'search_last_name', 'search_preferred_name', 'search_last_name_part'];
  const ranges = columns.map((column) => `(${alias}.${column} >= :${lo} AND ${alias}.${column} < :${hi})`);
  return qb.andWhere(`(${[...ranges, `${alias}.upn = :${upn}`].join(' OR ')})`, {
    [lo]: folded,
    [hi]: `${folded}${PREFIX_END}`,
    [upn]: term.trim().toUpperCase(),
  });
}
