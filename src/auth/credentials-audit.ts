import { EntityManager } from 'typeorm';

/** What happened to an account's credentials or settings (audit action in brackets). */
export type CredentialsEvent =
  /** `password.changed`: by the signed-in person, who gave their current password. */
  | 'password_changed'
  /** `password.reset_requested`: someone asked for a reset link for this (existing) account. */
  | 'password_reset_requested'
  /** `password.reset`: a new password was set with a reset link. */
  | 'password_reset'
  /** `account.preferences_changed`: language or email notifications. */
  | 'preferences_changed';

/** The account an entry is about, and (when proved) who acted on it. */
export interface CredentialsAuditEvent {
  event: CredentialsEvent;
  account: { userId: string; name: string; role: string | null; organisationId: string | null };
  /**
   * Whether the account holder is known to have acted: signed in, or holding the emailed link. A reset
   * request proves nothing (anyone can type an email), so its entry names the email asked for instead.
   */
  proved: boolean;
  /** For an unproved request: the email as typed (only ever an existing account's). */
  typedEmail?: string;
  address: string | null;
  /** How many other sessions ended with it. */
  sessionsEnded?: number;
  /** For preferences: what they are now. Never a password, a hash or a token. */
  language?: string;
  emailNotifications?: boolean;
}

/**
 * Changes of credentials go in the audit log, which sits above auth, so auth declares this port and the
 * audit module provides it (`CredentialsAuditLog`), like `SignInAudit`. In the caller's transaction.
 */
export abstract class CredentialsAudit {
  abstract record(manager: EntityManager, event: CredentialsAuditEvent): Promise<void>;
}
