import { QueryFailedError } from 'typeorm';

/** A refused insert or update: a unique index said no (a concurrent twin committed first). */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driver = error.driverError as { code?: string; message?: string } | undefined;
  return driver?.code === '23505' || /SQLITE_CONSTRAINT/.test(String(driver?.code ?? driver?.message));
}
