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

/** A JSON value as the driver returns it: parsed on PostgreSQL, text on SQLite. */
export function parsedJson(value: unknown): Record<string, unknown> {
  return (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown>;
}

function isPostgres(manager: EntityManager): boolean {
  return manager.connection.options.type === 'postgres';
}
