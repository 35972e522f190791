import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, IsNull, MoreThan } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { hashOneTimeToken, looksLikeOneTimeToken } from '../auth/one-time-token';
import { hashPassword, scryptParameters } from '../auth/password-hasher';
import { PASSWORD_PROBLEM_MESSAGES, PasswordProblem, passwordProblems } from '../auth/password-policy';
import { InvalidInputError, NotFoundError } from '../common/domain-error';
import { Language, Role } from '../common/roles';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UnitOfWork } from '../database/unit-of-work';
import { Invitation } from '../organisations/invitation.entity';
import { Membership } from '../organisations/membership.entity';
import { OrganisationNames } from '../organisations/organisation-name';
import { Organisation } from '../organisations/organisation.entity';
import { User } from '../organisations/user.entity';

/** What the welcome page says: who is invited, where, as what. */
export interface InvitationSummary {
  name: string;
  email: string;
  language: Language;
  role: Role;
  organisation: OrganisationNames;
}

/** A password the policy refuses: 400 `errors.password`, with the problems for the page to translate. */
export class PasswordRefusedError extends InvalidInputError {
  constructor(readonly problems: PasswordProblem[]) {
    super({ password: problems.map((problem) => PASSWORD_PROBLEM_MESSAGES[problem]) }, 'The password cannot be used');
  }
}

/**
 * Following an invitation link: single use, 72 hours, looked up by the token's hash. An unknown, used,
 * expired link, or one whose account was deactivated or whose role has ended, is a 404 like any
 * missing record. Accepting sets the password and uses the link up, in one transaction, audited as
 * `invitation.accepted` by the person themselves.
 */
@Injectable()
export class InvitationsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
  ) {}

  async describe(token: string): Promise<InvitationSummary> {
    const { user, membership, organisation } = await this.find(this.unitOfWork.manager, token);
    return {
      name: user.name,
      email: user.email,
      language: user.language,
      role: membership.role,
      organisation: { name: organisation.name, nameCy: organisation.nameCy ?? null },
    };
  }

  /** Sets the password and uses the link up; answers the person's language (for the page that follows). */
  async accept(token: string, password: string): Promise<{ language: Language }> {
    const { user } = await this.find(this.unitOfWork.manager, token);
    const problems = passwordProblems(password, user.email);
    if (problems.length) throw new PasswordRefusedError(problems);
    const passwordHash = await hashPassword(password, scryptParameters(this.config.auth.passwordHashCost));
    await this.unitOfWork.run(async (manager) => {
      const { invitation, membership, organisation } = await this.find(manager, token);
      // Used up only if still unused: of two acceptances at once, one sets the password and the other is a 404.
      const used = await manager
        .getRepository(Invitation)
        .update({ id: invitation.id, usedAt: IsNull() }, { usedAt: new Date() });
      if (used.affected === 0) throw new NotFoundError('Invitation');
      await manager.getRepository(User).update({ id: user.id }, { passwordHash });
      await this.audit.recordAs(
        manager,
        { userId: user.id, name: user.name, role: membership.role, organisationId: organisation.id },
        'invitation.accepted',
        { type: 'account', id: user.id },
        { membershipId: membership.id },
      );
    });
    return { language: user.language };
  }

  private async find(manager: EntityManager, token: string) {
    if (!looksLikeOneTimeToken(token)) throw new NotFoundError('Invitation');
    const invitation = await manager.getRepository(Invitation).findOneBy({
      tokenHash: hashOneTimeToken(token),
      usedAt: IsNull(),
      expiresAt: MoreThan(new Date()),
    });
    if (!invitation) throw new NotFoundError('Invitation');
    const user = await manager.getRepository(User).findOneBy({ id: invitation.userId, active: true });
    const membership = await manager
      .getRepository(Membership)
      .findOneBy({ id: invitation.membershipId, endedAt: IsNull() });
    if (!user || !membership) throw new NotFoundError('Invitation');
    const organisation = await manager.getRepository(Organisation).findOneByOrFail({ id: membership.organisationId });
    return { invitation, user, membership, organisation };
  }
}
