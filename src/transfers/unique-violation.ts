import { QueryFailedError } from 'typeorm';

/** A refused insert: a unique key said no (a concurrent twin committed first). Both engines' codes. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driver = error.driverError as { code?: string; message?: string } | undefined;
  return driver?.code === '23505' || /UNIQUE constraint failed/.test(String(driver?.message));
}
