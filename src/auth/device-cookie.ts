import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): after a successful
 * sign-in the browser or script gets a signed token naming the account (its normalised email) and a
 * random nonce. A later sign-in to that account carrying it is from a *known device*: it is limited
 * only by its own failures, never by what others do from elsewhere (sign-in-limits.ts).
 *
 * One cookie holds the tokens of the last few accounts signed in on the device (a shared staff-room
 * computer), newest first. Each token is `base64url(email).nonce.issuedAt.hmac`, the HMAC (SHA-256,
 * under SIGN_IN_DEVICE_SECRET) covering the other three, so a token cannot be made or altered
 * without the key, and one older than the device lifetime is ignored even if the cookie was kept.
 */
export interface DeviceToken {
  email: string;
  nonce: string;
  /** Seconds since the epoch. */
  issuedAt: number;
}

/** Accounts remembered per device: enough for a shared computer, small enough for one cookie (~1 kB). */
export const MAX_DEVICE_ACCOUNTS = 5;
const SEPARATOR = '~';

export class DeviceCookies {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly lifetimeSeconds: number,
  ) {
    this.key = Buffer.from(secret, 'utf8');
  }

  /** The genuine, unexpired tokens in a cookie value; anything else in it is ignored. */
  read(value: unknown, nowSeconds = Math.floor(Date.now() / 1000)): DeviceToken[] {
    if (typeof value !== 'string' || value === '' || value.length > 4096) return [];
    const tokens: DeviceToken[] = [];
    for (const part of value.split(SEPARATOR).slice(0, MAX_DEVICE_ACCOUNTS)) {
      const token = this.verify(part);
      if (token && token.issuedAt <= nowSeconds + 60 && nowSeconds - token.issuedAt < this.lifetimeSeconds)
        tokens.push(token);
    }
    return tokens;
  }

  /** The nonce of the device's token for this account, if it holds one: the device is known to it. */
  static nonceFor(tokens: DeviceToken[], email: string): string | null {
    return tokens.find((token) => token.email === email)?.nonce ?? null;
  }

  /** A new token for `email` (a fresh nonce), put first; the same account's old token and the oldest beyond the limit go. */
  issue(
    tokens: DeviceToken[],
    email: string,
    nowSeconds = Math.floor(Date.now() / 1000),
  ): { value: string; nonce: string } {
    const nonce = randomBytes(16).toString('base64url');
    const kept = tokens.filter((token) => token.email !== email).slice(0, MAX_DEVICE_ACCOUNTS - 1);
    const value = [{ email, nonce, issuedAt: nowSeconds }, ...kept].map((token) => this.sign(token)).join(SEPARATOR);
    return { value, nonce };
  }

  private sign(token: DeviceToken): string {
    const body = `${Buffer.from(token.email, 'utf8').toString('base64url')}.${token.nonce}.${token.issuedAt}`;
    return `${body}.${this.mac(body)}`;
  }

  private verify(part: string): DeviceToken | null {
    const match = /^([A-Za-z0-9_-]{1,600})\.([A-Za-z0-9_-]{16,64})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(part);
    if (!match) return null;
    const [, email, nonce, issuedAt, mac] = match;
    const expected = Buffer.from(this.mac(`${email}.${nonce}.${issuedAt}`));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    return { email: Buffer.from(email, 'base64url').toString('utf8'), nonce, issuedAt: Number(issuedAt) };
  }

  private mac(body: string): string {
    // A purpose label, so a MAC made with this key for anything else can never pass as a device token.
    return createHmac('sha256', this.key).update(`sg-device-cookie\n${body}`).digest('base64url');
  }
}
