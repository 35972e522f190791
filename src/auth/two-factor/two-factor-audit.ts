import { EntityManager } from 'typeorm';
import { SignInAccount } from '../sign-in-audit';

/** What happened to an account's two-factor sign-in, as the audit log's action `two_factor.<event>` names it. */
export type TwoFactorEvent = 'enabled' | 'disabled' | 'recovery_codes_regenerated' | 'recovery_code_used';

/** Never a secret, a code or a token: only where from and how many recovery codes are left. */
export interface TwoFactorAuditEvent {
  event: TwoFactorEvent;
  account: SignInAccount;
  address: string | null;
  recoveryCodesLeft?: number;
}

/**
 * Like SignInAudit: the audit log sits above auth, so auth declares this port and the audit module
 * implements it (`TwoFactorAuditLog`). Written in the caller's transaction, with the change it records.
 */
export abstract class TwoFactorAudit {
  abstract record(manager: EntityManager, event: TwoFactorAuditEvent): Promise<void>;
}
