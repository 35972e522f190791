import { Injectable } from '@nestjs/common';
import { Actor } from '../common/actor';
import { Language } from '../common/language';
import { UnitOfWork } from '../database/unit-of-work';
import { OrganisationsService } from '../organisations/organisations.service';
import { CredentialsAudit } from './credentials-audit';
import { SessionAccount } from './jwt.strategy';
import { MeResponse, MembershipOptionResponse, toMeResponse, toMembershipOption } from './me.mapper';

export interface AccountPreferences {
  language?: Language;
  emailNotifications?: boolean;
}

/** The signed-in person's own account: what `/api/me` answers, and the choices they may change. */
@Injectable()
export class AccountSettingsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly organisations: OrganisationsService,
    private readonly audit: CredentialsAudit,
  ) {}

  /** From what the session's query read at this request (jwt.strategy.ts SessionAccount): no query. */
  me(actor: Actor, account: SessionAccount): MeResponse {
    return toMeResponse(actor, { emailNotifications: account.emailNotifications });
  }

  /** Every role the person can work in now, the session's own marked `current` (a person has a handful). */
  async roles(actor: Actor): Promise<MembershipOptionResponse[]> {
    const actors = await this.organisations.actorsOf(actor.userId);
    return actors.map((option) => toMembershipOption(option, actor));
  }

  /** Saves the choices given (audited when anything changes) and answers the account as `/api/me` does. */
  async update(actor: Actor, changes: AccountPreferences, address: string | null): Promise<MeResponse> {
    const preferences = await this.unitOfWork.run(async (manager) => {
      const before = await this.organisations.preferencesOf(manager, actor.userId);
      const language = changes.language ?? actor.language;
      const emailNotifications = changes.emailNotifications ?? before.emailNotifications;
      if (language !== actor.language || emailNotifications !== before.emailNotifications) {
        await this.organisations.setPreferences(manager, actor.userId, { language, emailNotifications });
        await this.audit.record(manager, {
          event: 'preferences_changed',
          account: { userId: actor.userId, name: actor.name, role: actor.role, organisationId: actor.organisationId },
          proved: true,
          address,
          language,
          emailNotifications,
        });
      }
      return { emailNotifications };
    });
    return toMeResponse({ ...actor, language: changes.language ?? actor.language }, preferences);
  }
}
