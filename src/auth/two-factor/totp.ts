import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';

/**
 * Time-based one-time passwords as authenticator apps make them (RFC 6238): 30-second steps, 6 digits,
 * HMAC-SHA-1, base32 secrets of 160 bits. otplib does the arithmetic; this file fixes the parameters,
 * the window (one step either side) and the replay rule (a step once used, and every step before it, is
 * refused), and keeps secrets and recovery codes safe at rest.
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** The name authenticator apps show beside the account's email (the product's name). */
export const TOTP_ISSUER = 'Safeguarding record';
export const RECOVERY_CODE_COUNT = 10;

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The `otpauth://totp/...` address a QR code carries: issuer, the account's email, the secret. */
export function otpauthUrlFor(secret: string, email: string): string {
  return generateURI({
    issuer: TOTP_ISSUER,
    label: email,
    secret,
    algorithm: 'sha1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  });
}

/** The secret in groups of four, to type by hand. */
export function groupedSecret(secret: string): string {
  return (secret.match(/.{1,4}/g) ?? []).join(' ');
}

/** The time step a moment falls in. */
export function timeStepAt(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);
}

/** Six digits, spaces and hyphens allowed between them (as apps show them: "123 456"). */
export function normaliseTotpCode(code: string): string | null {
  const digits = code.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/**
 * The time step whose code this is, if it is the code of the current step or of one step either side,
 * and that step is later than `lastUsedStep` (a code is accepted once, and never one older than the
 * last one accepted); otherwise null.
 */
export async function matchTotp(
  secret: string,
  code: string,
  nowMs: number,
  lastUsedStep: number | null,
): Promise<number | null> {
  const token = normaliseTotpCode(code);
  if (!token) return null;
  const result = await verify({
    secret,
    token,
    algorithm: 'sha1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    epoch: Math.floor(nowMs / 1000),
    epochTolerance: TOTP_PERIOD_SECONDS,
    ...(lastUsedStep !== null ? { afterTimeStep: lastUsedStep } : {}),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}

// Recovery codes: 10 of 4-4-4 characters from an alphabet without look-alikes (60 bits each).
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(12);
    const characters = Array.from(bytes, (byte) => RECOVERY_ALPHABET[byte % RECOVERY_ALPHABET.length]).join('');
    return `${characters.slice(0, 4)}-${characters.slice(4, 8)}-${characters.slice(8, 12)}`;
  });
}

/** A recovery code as typed: case, spaces and hyphens do not matter. Null when it cannot be one. */
export function normaliseRecoveryCode(code: string): string | null {
  const compact = code.replace(/[\s-]/g, '').toLowerCase();
  return /^[a-z0-9]{12}$/.test(compact) ? compact : null;
}

/**
 * Keys for the secrets at rest, derived (HKDF-SHA-256) from TWO_FACTOR_KEY or the audit key, each
 * under its own label: the authenticator secrets are encrypted (AES-256-GCM, bound to the account's
 * id), recovery codes are kept only as an HMAC, so the database alone reveals neither.
 */
export class TwoFactorSecrets {
  private readonly encryptionKey: Buffer;
  private readonly recoveryKey: Buffer;

  constructor(keyMaterial: string) {
    const derive = (label: string) =>
      Buffer.from(hkdfSync('sha256', Buffer.from(keyMaterial), Buffer.alloc(0), Buffer.from(label), 32));
    this.encryptionKey = derive('two-factor-secret-key/v1');
    this.recoveryKey = derive('two-factor-recovery-codes/v1');
  }

  seal(secret: string, userId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    cipher.setAAD(Buffer.from(userId));
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [
      'v1',
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      sealed.toString('base64url'),
    ].join('.');
  }

  /** The secret, or null when the text was not sealed with this key for this account. */
  open(sealed: string, userId: string): string | null {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || !body) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(userId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }

  /** What is stored for a recovery code (normalised first): an HMAC, hex. */
  recoveryCodeHash(normalisedCode: string): string {
    return createHmac('sha256', this.recoveryKey).update(normalisedCode).digest('hex');
  }

  /** What is stored for a challenge token: an HMAC under the same key, so a database copy cannot use one. */
  tokenHash(token: string): string {
    return createHmac('sha256', this.recoveryKey).update(`challenge:${token}`).digest('hex');
  }
}
