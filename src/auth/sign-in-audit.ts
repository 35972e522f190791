import { EntityManager } from 'typeorm';
import { SignInLimit } from './sign-in-limits';

/** What happened, as the audit log's action `account.<event>` names it. */
export type SignInEvent =
  | 'signed_in'
  | 'sign_in_failed'
  | 'locked_out'
  | 'sign_in_refused'
  | 'signed_out'
  /** The password was right, the two-factor code (or recovery code) was not. */
  | 'two_factor_failed'
  /** A signed-in person went on in another of their roles (`account` is the new one, `previous` the old). */
  | 'switched_role';

/** The account an event is about, when the email named one. */
export interface SignInAccount {
  userId: string;
  name: string;
  role: string | null;
  organisationId: string | null;
}

/**
 * One sign-in event. Never the password; the email only as typed and only when it names an account
 * (`account` set), so a mistyped password in the email field is not kept for an unknown account.
 */
export interface SignInAuditEvent {
  event: SignInEvent;
  account: SignInAccount | null;
  typedEmail: string | null;
  address: string | null;
  /** The limit refused, or reached by this failure. */
  limit?: SignInLimit;
  retryAfterSeconds?: number;
  /** Whether a sign-in came from a device already known to the account. */
  knownDevice?: boolean;
  /** A sign-in completed with two-factor: which second factor proved it (never the code itself). */
  secondFactor?: 'code' | 'recovery_code';
  /** Switching role: the role and organisation the person acted in before. */
  previous?: { role: string; organisationId: string };
}

/**
 * Sign-ins go in the audit log, which sits above auth (it uses auth's guards), so auth declares this
 * port and the audit module provides it (AuditModule, `SignInAuditLog`). Written in the caller's
 * transaction, like every other audit entry.
 */
export abstract class SignInAudit {
  abstract record(manager: EntityManager, event: SignInAuditEvent): Promise<void>;
}
