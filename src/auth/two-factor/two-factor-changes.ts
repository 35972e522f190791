import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/actor';
import { AuthService } from '../auth.service';
import { TwoFactorError } from './two-factor-errors';
import { TwoFactorService } from './two-factor.service';

/** What a person proves a change with: a current code or a recovery code, and for some changes the password. */
export interface ChangeProof {
  code: string;
  password?: string;
  address: string | null;
  deviceCookie: unknown;
}

/**
 * Changes to two-factor that need the person's second factor: checked by AuthService under the sign-in
 * limits (so a session left open cannot be used to guess codes or the password), then made in the
 * transaction that uses the code up.
 */
@Injectable()
export class TwoFactorChanges {
  constructor(
    private readonly auth: AuthService,
    private readonly twoFactor: TwoFactorService,
  ) {}

  /** Ten new recovery codes in place of the old. */
  async regenerateRecoveryCodes(actor: Actor, proof: ChangeProof): Promise<string[]> {
    await this.twoFactor.assertMayChange(actor, 'regenerate');
    return this.auth.withSecondFactor(actor, { code: proof.code }, proof.address, proof.deviceCookie, (manager) =>
      this.twoFactor.regenerateRecoveryCodes(manager, actor, proof.address),
    );
  }

  /**
   * Moves two-factor to a new authenticator (a new phone): `newCode` from the pending one, proved with
   * `proof.code` from the one in use or a recovery code (for a lost phone). New recovery codes too.
   */
  async moveToNewAuthenticator(actor: Actor, proof: ChangeProof, newCode: string): Promise<string[]> {
    await this.twoFactor.assertMayChange(actor, 'regenerate');
    return this.auth.withSecondFactor(
      actor,
      { code: proof.code },
      proof.address,
      proof.deviceCookie,
      (manager) => this.twoFactor.moveToPending(manager, actor, newCode, proof.address),
      TwoFactorError.WrongCurrentCode,
    );
  }

  /** Turns two-factor off (password and code), unless REQUIRE_2FA requires it of this account. */
  async disable(actor: Actor, proof: ChangeProof & { password: string }): Promise<void> {
    await this.twoFactor.assertMayChange(actor, 'disable');
    await this.auth.withSecondFactor(
      actor,
      { code: proof.code, password: proof.password },
      proof.address,
      proof.deviceCookie,
      (manager) => this.twoFactor.disable(manager, actor, proof.address),
    );
  }
}
