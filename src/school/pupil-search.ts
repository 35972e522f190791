import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** `%` and `_` typed into a search are literal characters, not wildcards. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

/** Narrows a query over pupils to part of a first, last or preferred name, or a whole UPN (case ignored). */
export function whereNameOrUpnMatches<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  term: string,
): SelectQueryBuilder<T> {
  const like = `%${escapeLike(term.toLowerCase())}%`;
  return qb.andWhere(
    `(LOWER(${alias}.first_name) LIKE :like ESCAPE '\\' OR LOWER(${alias}.last_name) LIKE :like ESCAPE '\\' ` +
      `OR LOWER(${alias}.preferred_name) LIKE :like ESCAPE '\\' OR ${alias}.upn = :upn)`,
    { like, upn: term.toUpperCase() },
  );
}
