import { Actor } from '../common/actor';

/** Which audit entries an actor may read: a visible subject's whole history, or their organisations' actions. */
export type AuditScope =
  | {
      kind: 'subject';
      /**
       * For an organisation the subject's pupil has left: only its own people's entries, and (after a
       * transfer) the others' made up to `until` — not what the new school does with the file.
       */
      retained?: { organisationId: string; until: Date | null };
    }
  | { kind: 'actor_organisations'; organisationIds: string[] };

/**
 * Who may read which part of the audit log is the access policy's decision, but the audit log sits
 * below every module that records into it, so it cannot import that policy: the app module binds one
 * (`AuditModule.register({ readPolicy: AccessPolicy })`).
 */
export abstract class AuditReadPolicy {
  /** Throws (403/404) when the actor may not read the log, or may not see the subject. */
  abstract auditScope(actor: Actor, subject: { type: string; id: string } | null): Promise<AuditScope>;
}
