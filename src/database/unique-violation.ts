import { QueryFailedError } from 'typeorm';

/**
 * A refused insert or update because a unique key (or primary key) said no: a concurrent twin
 * committed first. Both engines' ways of saying it; with `table`, only a refusal by that table's key
 * (PostgreSQL names the table, SQLite's message names the columns as `table.column`).
 */
export function isUniqueViolation(error: unknown, table?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driver = error.driverError as { code?: string; table?: string; message?: string } | undefined;
  const message = String(driver?.message ?? '');
  const unique =
    driver?.code === '23505' ||
    (/SQLITE_CONSTRAINT/.test(String(driver?.code ?? message)) && /UNIQUE|PRIMARY KEY/.test(message));
  return unique && (!table || `${driver?.table ?? ''} ${message}`.includes(table));
}
