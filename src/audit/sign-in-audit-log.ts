import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SignInAudit, SignInAuditEvent, SignInEvent } from '../auth/sign-in-audit';
import { AuditDetails } from './audit-entry.entity';
import { AuditAction, AuditService, AuditWho } from './audit.service';

/** Stands for the person behind an attempt on an email that names no account. Never the email itself. */
export const UNKNOWN_ACCOUNT = 'unknown account';

const ACTIONS: Record<SignInEvent, AuditAction> = {
  signed_in: 'account.signed_in',
  sign_in_failed: 'account.sign_in_failed',
  locked_out: 'account.locked_out',
  sign_in_refused: 'account.sign_in_refused',
  signed_out: 'account.signed_out',
  two_factor_failed: 'account.two_factor_failed',
  switched_role: 'account.switched_role',
};

/**
 * Auth's sign-in events as audit entries about the account (`subjectType` 'account'). A success or a
 * sign-out names the person; an attempt that has not proved who made it names only the email as typed
 * (a known account's) or "unknown account", under the tried account's organisation, so that
 * organisation's readers see attempts on their accounts. Never a password.
 */
@Injectable()
export class SignInAuditLog extends SignInAudit {
  constructor(private readonly audit: AuditService) {
    super();
  }

  async record(manager: EntityManager, event: SignInAuditEvent): Promise<void> {
    const { account } = event;
    const proved = event.event === 'signed_in' || event.event === 'signed_out' || event.event === 'switched_role';
    const who: AuditWho =
      account && proved
        ? { userId: account.userId, name: account.name, role: account.role, organisationId: account.organisationId }
        : {
            userId: null,
            name: (account && event.typedEmail) || UNKNOWN_ACCOUNT,
            role: null,
            organisationId: account?.organisationId ?? null,
          };
    const details: AuditDetails = { address: event.address };
    if (!proved) details.email = account ? event.typedEmail : UNKNOWN_ACCOUNT;
    if (event.limit) details.limit = event.limit;
    if (event.retryAfterSeconds !== undefined) details.retryAfterSeconds = event.retryAfterSeconds;
    if (event.knownDevice !== undefined) details.knownDevice = event.knownDevice;
    if (event.secondFactor) details.secondFactor = event.secondFactor;
    if (event.previous) {
      details.previousRole = event.previous.role;
      details.previousOrganisationId = event.previous.organisationId;
    }
    // An unknown account has no id; the subject says so rather than inventing one.
    await this.audit.recordAs(
      manager,
      who,
      ACTIONS[event.event],
      { type: 'account', id: account?.userId ?? '' },
      details,
    );
  }
}
