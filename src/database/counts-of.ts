import { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * Several COUNT(*)s in one statement: `SELECT (<count>) AS "a", (<count>) AS "b", ...`, each query
 * planned as it would be alone. A parameter name used by two queries must mean the same value.
 */
export async function countsOf<K extends string>(
  manager: EntityManager,
  queries: Record<K, SelectQueryBuilder<ObjectLiteral>>,
): Promise<Record<K, number>> {
  const driver = manager.connection.driver;
  const parameters: Record<string, unknown> = {};
  const columns = (Object.entries(queries) as Array<[K, SelectQueryBuilder<ObjectLiteral>]>).map(([name, qb]) => {
    const counted = qb.select('COUNT(*)');
    for (const [key, value] of Object.entries(counted.getParameters()) as Array<[string, unknown]>) {
      if (key in parameters && JSON.stringify(parameters[key]) !== JSON.stringify(value))
        throw new Error(`countsOf: parameter ${key} means two things`);
      parameters[key] = value;
    }
    return `(${counted.getQuery()}) AS ${driver.escape(name)}`;
  });
  const [sql, values] = driver.escapeQueryWithParameters(`SELECT ${columns.join(', ')}`, parameters, {});
  const [row] = await manager.query<Array<Record<K, string | number>>>(sql, values);
  return Object.fromEntries(Object.keys(queries).map((name) => [name, Number(row[name as K] ?? 0)])) as Record<
    K,
    number
  >;
}
