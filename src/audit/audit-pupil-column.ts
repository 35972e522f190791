export { rebuildAuditPupilIds } from '../database/migrations/backfills';

/**
 * `audit_entries.pupil_id` (issue 9): the pupil an entry is about, so the audit page's pupil filter
 * is an index lookup (`idx_audit_pupil`: pupil_id, seq) rather than a text search of every entry's
 * details. It is a copy of what the hashed fields already say (`subjectId` when `subjectType` is
 * `pupil`, else `details.pupilId`), written with the entry and outside the hash: the chain covers the
 * same fields in the same way as before (audit-chain.ts), and `npm run audit:verify` is unchanged.
 */
export function auditPupilId(
  subject: { type: string; id: string },
  details: Record<string, unknown> | null,
): string | null {
  if (subject.type === 'pupil') return subject.id;
  const pupilId = details?.pupilId;
  return typeof pupilId === 'string' ? pupilId : null;
}
