import { Column, ColumnOptions, ValueTransformer } from 'typeorm';

/**
 * Instants are stored as fixed-width UTC ISO strings (`2026-11-26T09:30:00.000Z`) on both engines.
 * They sort and compare correctly as text, so a range query means the same on SQLite (which has no
 * timestamp type, and whose driver would bind a Date as a number) and on PostgreSQL.
 */
export const instantTransformer: ValueTransformer = {
  to: (value: Date | null | undefined) => (value instanceof Date ? value.toISOString() : (value ?? null)),
  from: (value: string | null) => (value === null || value === undefined ? null : new Date(value)),
};

export function InstantColumn(options: Omit<ColumnOptions, 'type' | 'length' | 'transformer'> = {}) {
  return Column({ ...options, type: 'varchar', length: 24, transformer: instantTransformer });
}

/** Calendar dates (dates of birth, enrolment dates) as `YYYY-MM-DD` text: no time zone to drift. */
export function CalendarDateColumn(options: Omit<ColumnOptions, 'type' | 'length'> = {}) {
  return Column({ ...options, type: 'varchar', length: 10 });
}

/** Structured values (lists of codes, body-map points) as JSON text, portable across engines. */
export function JsonColumn(options: Omit<ColumnOptions, 'type'> = {}) {
  return Column({ ...options, type: 'simple-json' });
}
