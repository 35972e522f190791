import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, In, IsNull, Not } from 'typeorm';
import { Actor } from '../../common/actor';
import { newId } from '../../common/ids';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { UnitOfWork } from '../../database/unit-of-work';
import { OrganisationsService } from '../../organisations/organisations.service';
import { SignInAccount } from '../sign-in-audit';
import {
  matchTotp,
  newRecoveryCodes,
  newTotpSecret,
  normaliseRecoveryCode,
  normaliseTotpCode,
  otpauthUrlFor,
  TwoFactorSecrets,
} from './totp';
import { TwoFactorAudit } from './two-factor-audit';
import { RecoveryCode, TwoFactorCredential } from './two-factor.entities';
import { TwoFactorError, TwoFactorRuleError } from './two-factor-errors';

export interface TwoFactorStatus {
  enabled: boolean;
  enabledAt: string | null;
  /** Unused recovery codes (0 when off). */
  recoveryCodesLeft: number;
  /** REQUIRE_2FA applies to this account: it must be on, and cannot be turned off. */
  required: boolean;
  /** A setup (a first one, or a new phone's while on) has been started and waits for a code. */
  pending: boolean;
}

export interface TwoFactorSetup {
  secret: string;
  otpauthUrl: string;
}

/** Which second factor proved a sign-in or a change. */
export type SecondFactor = 'code' | 'recovery_code';

export function accountOf(actor: Actor): SignInAccount {
  return { userId: actor.userId, name: actor.name, role: actor.role, organisationId: actor.organisationId };
}

/**
 * An account's authenticator and recovery codes. Turning it off and new recovery codes need the
 * person's second factor (and password), checked by AuthService under the sign-in limits, which then
 * calls `disable` / `regenerateRecoveryCodes` in the same transaction as it consumes the code.
 */
@Injectable()
export class TwoFactorService {
  readonly secrets: TwoFactorSecrets;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly unitOfWork: UnitOfWork,
    private readonly organisations: OrganisationsService,
    private readonly audit: TwoFactorAudit,
  ) {
    this.secrets = new TwoFactorSecrets(config.auth.twoFactor.keyMaterial);
  }

  async isEnabled(userId: string): Promise<boolean> {
    return this.unitOfWork.manager.exists(TwoFactorCredential, { where: { userId, enabledAt: Not(IsNull()) } });
  }

  /** Of these accounts, those with two-factor on (one query, for a page of a list of accounts). */
  async enabledAmong(userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows = await this.unitOfWork.manager.find(TwoFactorCredential, {
      select: { userId: true },
      where: { userId: In([...userIds]), enabledAt: Not(IsNull()) },
    });
    return new Set(rows.map((row) => row.userId));
  }

  /** REQUIRE_2FA applies to this account: it holds some role other than `staff`. */
  async requiredFor(userId: string): Promise<boolean> {
    if (!this.config.auth.twoFactor.required) return false;
    const roles = await this.organisations.rolesOf(userId);
    return roles.some((role) => role !== 'staff');
  }

  async status(actor: Actor): Promise<TwoFactorStatus> {
    const manager = this.unitOfWork.manager;
    const credential = await manager.findOneBy(TwoFactorCredential, { userId: actor.userId });
    const enabled = !!credential?.enabledAt;
    const recoveryCodesLeft = enabled
      ? await manager.countBy(RecoveryCode, { userId: actor.userId, usedAt: IsNull(), revokedAt: IsNull() })
      : 0;
    return {
      enabled,
      enabledAt: credential?.enabledAt?.toISOString() ?? null,
      recoveryCodesLeft,
      required: await this.requiredFor(actor.userId),
      pending: !!credential?.pendingSecret,
    };
  }

  /**
   * Starts (or starts again) setting up an authenticator: a new secret, kept sealed as pending until a
   * code from it is confirmed (`enable`). While two-factor is on, the one in use stays until the new one
   * is confirmed together with a code from the old one (or a recovery code): moving to a new phone.
   */
  async setup(actor: Actor): Promise<TwoFactorSetup> {
    const secret = newTotpSecret();
    await this.unitOfWork.run(async (manager) => {
      const credential = await manager.findOneBy(TwoFactorCredential, { userId: actor.userId });
      const sealed = this.secrets.seal(secret, actor.userId);
      if (credential)
        await manager.update(
          TwoFactorCredential,
          { userId: actor.userId },
          { pendingSecret: sealed, updatedAt: new Date() },
        );
      else
        await manager.insert(TwoFactorCredential, {
          userId: actor.userId,
          secret: null,
          pendingSecret: sealed,
          enabledAt: null,
          lastUsedStep: null,
          updatedAt: new Date(),
        });
    });
    return { secret, otpauthUrl: otpauthUrlFor(secret, actor.email) };
  }

  /** The setup waiting for its code (for the page to show it again), or null. Never the secret in use. */
  async pendingSetup(actor: Actor): Promise<TwoFactorSetup | null> {
    const credential = await this.unitOfWork.manager.findOneBy(TwoFactorCredential, { userId: actor.userId });
    if (!credential?.pendingSecret) return null;
    const secret = this.secrets.open(credential.pendingSecret, actor.userId);
    return secret ? { secret, otpauthUrl: otpauthUrlFor(secret, actor.email) } : null;
  }

  /**
   * Turns two-factor on with a code from the pending authenticator: the secret becomes the one in use,
   * ten new recovery codes replace any old ones, and the codes are answered this once (stored hashed).
   */
  async enable(actor: Actor, code: string, address: string | null): Promise<string[]> {
    return this.unitOfWork.run((manager) => this.confirmPending(manager, actor, code, address, false));
  }

  /**
   * Moves two-factor to the pending authenticator (a new phone), in the caller's transaction, after the
   * caller checked a code from the one in use or a recovery code (TwoFactorChanges.moveToNewAuthenticator).
   */
  moveToPending(manager: EntityManager, actor: Actor, code: string, address: string | null): Promise<string[]> {
    return this.confirmPending(manager, actor, code, address, true);
  }

  private async confirmPending(
    manager: EntityManager,
    actor: Actor,
    code: string,
    address: string | null,
    replacing: boolean,
  ): Promise<string[]> {
    const credential = await manager.findOneBy(TwoFactorCredential, { userId: actor.userId });
    if (!replacing && credential?.enabledAt) throw new TwoFactorRuleError(TwoFactorError.AlreadyEnabled);
    if (replacing && !credential?.enabledAt) throw new TwoFactorRuleError(TwoFactorError.NotEnabled);
    const secret = credential?.pendingSecret ? this.secrets.open(credential.pendingSecret, actor.userId) : null;
    if (!credential?.pendingSecret || !secret) throw new TwoFactorRuleError(TwoFactorError.NotSetUp);
    // A new secret has no used steps of its own: the old one's do not apply to it.
    const step = await matchTotp(secret, code, Date.now(), replacing ? null : credential.lastUsedStep);
    if (step === null) throw new TwoFactorRuleError(TwoFactorError.WrongCode);
    // Only if nobody confirmed this same pending secret meanwhile.
    const result = await manager
      .createQueryBuilder()
      .update(TwoFactorCredential)
      .set({
        secret: credential.pendingSecret,
        pendingSecret: null,
        enabledAt: new Date(),
        lastUsedStep: step,
        updatedAt: new Date(),
      })
      .where(`user_id = :userId AND pending_secret = :pending AND enabled_at IS ${replacing ? 'NOT ' : ''}NULL`, {
        userId: actor.userId,
        pending: credential.pendingSecret,
      })
      .execute();
    if (result.affected !== 1) throw new TwoFactorRuleError(TwoFactorError.NotSetUp);
    const codes = await this.replaceRecoveryCodes(manager, actor.userId);
    await this.audit.record(manager, {
      event: 'enabled',
      account: accountOf(actor),
      address,
      recoveryCodesLeft: codes.length,
    });
    return codes;
  }

  /**
   * Uses a second factor for this account, once: a current authenticator code (one step either side,
   * never a step already used) or an unused recovery code. In the caller's transaction, with atomic
   * updates, so two requests with the same code cannot both succeed. Null when it proves nothing.
   */
  async consume(manager: EntityManager, userId: string, code: string): Promise<SecondFactor | null> {
    const credential = await manager.findOneBy(TwoFactorCredential, { userId });
    if (!credential?.enabledAt || !credential.secret) return null;
    if (normaliseTotpCode(code)) {
      const secret = this.secrets.open(credential.secret, userId);
      const step = secret ? await matchTotp(secret, code, Date.now(), credential.lastUsedStep) : null;
      if (step === null) return null;
      const result = await manager
        .createQueryBuilder()
        .update(TwoFactorCredential)
        .set({ lastUsedStep: step })
        .where('user_id = :userId AND (last_used_step IS NULL OR last_used_step < :step)', { userId, step })
        .execute();
      return result.affected === 1 ? 'code' : null;
    }
    const recovery = normaliseRecoveryCode(code);
    if (!recovery) return null;
    const codeHash = this.secrets.recoveryCodeHash(recovery);
    const result = await manager
      .createQueryBuilder()
      .update(RecoveryCode)
      .set({ usedAt: new Date() })
      .where('user_id = :userId AND code_hash = :codeHash AND used_at IS NULL AND revoked_at IS NULL', {
        userId,
        codeHash,
      })
      .execute();
    return result.affected === 1 ? 'recovery_code' : null;
  }

  /** Unused recovery codes left, in the caller's transaction. */
  recoveryCodesLeft(manager: EntityManager, userId: string): Promise<number> {
    return manager.countBy(RecoveryCode, { userId, usedAt: IsNull(), revokedAt: IsNull() });
  }

  /** New recovery codes in place of the old (after the caller checked a second factor). */
  async regenerateRecoveryCodes(manager: EntityManager, actor: Actor, address: string | null): Promise<string[]> {
    const codes = await this.replaceRecoveryCodes(manager, actor.userId);
    await this.audit.record(manager, {
      event: 'recovery_codes_regenerated',
      account: accountOf(actor),
      address,
      recoveryCodesLeft: codes.length,
    });
    return codes;
  }

  /** Turns two-factor off (after the caller checked password and second factor): secret gone, codes revoked. */
  async disable(manager: EntityManager, actor: Actor, address: string | null): Promise<void> {
    await manager.update(
      TwoFactorCredential,
      { userId: actor.userId },
      { secret: null, pendingSecret: null, enabledAt: null, updatedAt: new Date() },
    );
    await this.revokeRecoveryCodes(manager, actor.userId);
    await this.audit.record(manager, { event: 'disabled', account: accountOf(actor), address });
  }

  /** Refuses what the caller may not do before any code is checked: off already, or required by role. */
  async assertMayChange(actor: Actor, change: 'disable' | 'regenerate'): Promise<void> {
    if (!(await this.isEnabled(actor.userId))) throw new TwoFactorRuleError(TwoFactorError.NotEnabled);
    if (change === 'disable' && (await this.requiredFor(actor.userId)))
      throw new TwoFactorRuleError(TwoFactorError.Required);
  }

  private async replaceRecoveryCodes(manager: EntityManager, userId: string): Promise<string[]> {
    await this.revokeRecoveryCodes(manager, userId);
    const codes = newRecoveryCodes();
    const now = new Date();
    await manager.insert(
      RecoveryCode,
      codes.map((code) => ({
        id: newId(),
        userId,
        codeHash: this.secrets.recoveryCodeHash(normaliseRecoveryCode(code)!),
        createdAt: now,
        usedAt: null,
        revokedAt: null,
      })),
    );
    return codes;
  }

  private async revokeRecoveryCodes(manager: EntityManager, userId: string): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(RecoveryCode)
      .set({ revokedAt: new Date() })
      .where('user_id = :userId AND used_at IS NULL AND revoked_at IS NULL', { userId })
      .execute();
  }
}
