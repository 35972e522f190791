import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * One count a page's layout shows (the header's unread notifications, a notice's number): a query that
 * selects one row whose one column is the count, and what the layout makes of the number.
 */
export interface PageCount<T> {
  query: SelectQueryBuilder<ObjectLiteral>;
  answer(count: number): T;
}

/**
 * Every count a page shows, as one statement: `SELECT (count 1), (count 2)`, each query a scalar
 * subquery, so a page pays one round trip for them however many there are. The queries' named
 * parameters are merged; two of them using one name for different values is a programming error.
 */
export async function runPageCounts(counts: ReadonlyArray<PageCount<unknown>>): Promise<number[]> {
  if (counts.length === 0) return [];
  const parameters: Record<string, unknown> = {};
  for (const { query } of counts)
    for (const [name, value] of Object.entries<unknown>(query.getParameters())) {
      if (name in parameters && !sameParameter(parameters[name], value))
        throw new Error(`Page counts use the parameter "${name}" for different values`);
      parameters[name] = value;
    }
  const combined = counts[0].query.connection.createQueryBuilder().fromDummy();
  counts.forEach(({ query }, index) => combined.addSelect(`(${query.getQuery()})`, `count${index}`));
  const row = await combined.setParameters(parameters).getRawOne<Record<string, string | number | null>>();
  return counts.map((_, index) => Number(row?.[`count${index}`] ?? 0));
}

function sameParameter(a: unknown, b: unknown): boolean {
  return a === b || (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => v === b[i]));
}
