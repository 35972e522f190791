import { AuditEntry } from './audit-entry.entity';

export interface AuditEntryResponse {
  at: string;
  actor: { id: string | null; name: string; role: string | null };
  action: string;
  subjectType: string;
  subjectId: string;
}

export function toAuditEntryResponse(entry: AuditEntry): AuditEntryResponse {
  return {
    at: entry.at.toISOString(),
    actor: { id: entry.actorUserId, name: entry.actorName, role: entry.actorRole },
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
  };
}
