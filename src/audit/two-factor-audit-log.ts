import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TwoFactorAudit, TwoFactorAuditEvent, TwoFactorEvent } from '../auth/two-factor/two-factor-audit';
import { AuditDetails } from './audit-entry.entity';
import { AuditAction, AuditService } from './audit.service';

const ACTIONS: Record<TwoFactorEvent, AuditAction> = {
  enabled: 'two_factor.enabled',
  disabled: 'two_factor.disabled',
  recovery_codes_regenerated: 'two_factor.recovery_codes_regenerated',
  recovery_code_used: 'two_factor.recovery_code_used',
};

/** Auth's two-factor changes as audit entries about the account, made by its holder. No secret, no code. */
@Injectable()
export class TwoFactorAuditLog extends TwoFactorAudit {
  constructor(private readonly audit: AuditService) {
    super();
  }

  async record(manager: EntityManager, event: TwoFactorAuditEvent): Promise<void> {
    const { account } = event;
    const details: AuditDetails = { address: event.address };
    if (event.recoveryCodesLeft !== undefined) details.recoveryCodesLeft = event.recoveryCodesLeft;
    await this.audit.recordAs(
      manager,
      { userId: account.userId, name: account.name, role: account.role, organisationId: account.organisationId },
      ACTIONS[event.event],
      { type: 'account', id: account.userId },
      details,
    );
  }
}
