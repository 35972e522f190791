import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CredentialsAudit, CredentialsAuditEvent, CredentialsEvent } from '../auth/credentials-audit';
import { AuditDetails } from './audit-entry.entity';
import { AuditAction, AuditService, AuditWho } from './audit.service';

const ACTIONS: Record<CredentialsEvent, AuditAction> = {
  password_changed: 'password.changed',
  password_reset_requested: 'password.reset_requested',
  password_reset: 'password.reset',
  preferences_changed: 'account.preferences_changed',
};

/**
 * Auth's changes of credentials and settings as audit entries about the account (`subjectType`
 * 'account'). A proved change names the person; a reset request names only the email asked for (of an
 * existing account: requests for unknown emails are not logged at all). Never a password or a token.
 */
@Injectable()
export class CredentialsAuditLog extends CredentialsAudit {
  constructor(private readonly audit: AuditService) {
    super();
  }

  async record(manager: EntityManager, event: CredentialsAuditEvent): Promise<void> {
    const { account } = event;
    const who: AuditWho = event.proved
      ? account
      : { userId: null, name: event.typedEmail ?? account.name, role: null, organisationId: account.organisationId };
    const details: AuditDetails = { address: event.address };
    if (!event.proved && event.typedEmail) details.email = event.typedEmail;
    if (event.sessionsEnded !== undefined) details.sessionsEnded = event.sessionsEnded;
    if (event.language !== undefined) details.language = event.language;
    if (event.emailNotifications !== undefined) details.emailNotifications = event.emailNotifications;
    await this.audit.recordAs(manager, who, ACTIONS[event.event], { type: 'account', id: account.userId }, details);
  }
}
