import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Rows of several tables in one statement (issue 9: each statement is a round trip through the event
 * loop): each `UNION ALL` branch selects a tag and the row as one JSON object, built by `jsonRowOf`;
 * `hydrateJsonRow` turns it back into the entity's properties as TypeORM would have (instants as Dates,
 * booleans, JSON text parsed), through the driver and the columns' transformers.
 */

/** The JSON object of `properties` of `entity`'s row under `alias` (`nested`: further keys, each a JSON expression). */
export function jsonRowOf<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  alias: string,
  properties?: ReadonlyArray<keyof T & string>,
  nested: Record<string, string> = {},
): string {
  const metadata = manager.connection.getMetadata(entity);
  const columns = properties
    ? properties.map((property) => metadata.findColumnWithPropertyName(property)!)
    : metadata.columns;
  const pairs = [
    ...columns.map((column) => `'${column.propertyName}', ${alias}.${column.databaseName}`),
    ...Object.entries(nested).map(([key, expression]) => `'${key}', ${expression}`),
  ];
  return `${isPostgres(manager) ? 'json_build_object' : 'json_object'}(${pairs.join(', ')})`;
}

/** The entity's table, for a branch's FROM. */
export function tableOf(manager: EntityManager, entity: EntityTarget<ObjectLiteral>): string {
  return manager.connection.getMetadata(entity).tableName;
}

/** The row `jsonRowOf` made, as the entity's properties (only those it was built with). */
export function hydrateJsonRow<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  row: Record<string, unknown>,
): T {
  const metadata = manager.connection.getMetadata(entity);
  const driver = manager.connection.driver;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    const column = metadata.findColumnWithPropertyName(key);
    result[key] = column ? driver.prepareHydratedValue(value, column) : value;
  }
  return result as T;
}

/**
 * One branch of a `UNION ALL` of JSON rows: a tag saying which kind of row it reads, the row (built by
 * `jsonRowOf`) and the rest of its SELECT (`FROM ... WHERE ...`, with named parameters as `:name`).
 */
export interface JsonRowBranch {
  tag: string;
  row: string;
  from: string;
}

/** A `UNION ALL`'s rows of one tag, each parsed (a tag that no row came back for has none). */
export type RowsOfTag = (tag: string) => Array<Record<string, unknown>>;

/**
 * Every branch's rows in one statement (one round trip, whatever the number of branches), each row
 * parsed and found by its branch's tag. The caller hydrates them (`hydrateJsonRow`).
 */
export async function unionOfJsonRows(
  manager: EntityManager,
  branches: JsonRowBranch[],
  parameters: Record<string, unknown>,
): Promise<RowsOfTag> {
  // A tag is the code's own word, written into the statement: never anything that could end the literal.
  const unsafe = branches.find(({ tag }) => !/^[\w.-]+$/.test(tag));
  if (unsafe) throw new Error(`A JSON rows branch's tag must be letters, digits, dots or dashes: ${unsafe.tag}`);
  const sql = branches
    .map(({ tag, row, from }) => `SELECT '${tag}' AS tag, ${row} AS body ${from}`)
    .join(' UNION ALL ');
  const [query, values] = manager.connection.driver.escapeQueryWithParameters(sql, parameters, {});
  const rows: Array<{ tag: string; body: unknown }> = await manager.query(query, values);
  const byTag = new Map<string, Array<Record<string, unknown>>>();
  for (const { tag, body } of rows) {
    const tagged = byTag.get(tag) ?? [];
    tagged.push(parsedJson(body));
    byTag.set(tag, tagged);
  }
  return (tag) => byTag.get(tag) ?? [];
}

/** A JSON value as the driver returns it: parsed on PostgreSQL, text on SQLite. */
export function parsedJson(value: unknown): Record<string, unknown> {
  return (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown>;
}

function isPostgres(manager: EntityManager): boolean {
  return manager.connection.options.type === 'postgres';
}
