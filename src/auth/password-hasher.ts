import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParameters {
  N: number;
  r: number;
  p: number;
}

// scrypt with N=2^15, r=8, p=3: OWASP's Password Storage Cheat Sheet lists it as equivalent to its first
// recommendation (N=2^17, r=8, p=1): the same CPU cost with a quarter of the memory (32 MiB per hash).
export const CURRENT_SCRYPT: ScryptParameters = { N: 32768, r: 8, p: 3 };
const KEY_LENGTH = 64;
// Room for N=2^16 at r=8 should the cost be raised later, and for every hash stored so far.
const MAX_MEMORY = 128 * 65536 * 8 + 1024 * 1024;

function derive(password: string, salt: Buffer, { N, r, p }: ScryptParameters): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, { N, r, p, maxmem: MAX_MEMORY }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/**
 * `scrypt$N$r$p$salt$key`, so parameters can be raised later without breaking stored hashes. The
 * parameters default to the current ones; tests pass older ones to check rehashing.
 */
export async function hashPassword(password: string, parameters: ScryptParameters = CURRENT_SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, parameters);
  return ['scrypt', parameters.N, parameters.r, parameters.p, salt.toString('base64'), key.toString('base64')].join(
    '$',
  );
}

function parametersOf(stored: string): (ScryptParameters & { salt: string; key: string }) | null {
  const [scheme, n, blockSize, parallel, salt, key] = stored.split('$');
  const [N, r, p] = [n, blockSize, parallel].map(Number);
  if (scheme !== 'scrypt' || !salt || !key || ![N, r, p].every((value) => Number.isInteger(value) && value > 0))
    return null;
  return { N, r, p, salt, key };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parametersOf(stored);
  if (!parsed) return false;
  const expected = Buffer.from(parsed.key, 'base64');
  let actual: Buffer;
  try {
    actual = await derive(password, Buffer.from(parsed.salt, 'base64'), parsed);
  } catch {
    return false; // parameters scrypt refuses (not a power of two, too much memory): never a match
  }
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A stored hash made with weaker parameters than today's: replaced at the next successful sign-in. */
export function needsRehash(stored: string): boolean {
  const parsed = parametersOf(stored);
  return !parsed || parsed.N < CURRENT_SCRYPT.N || parsed.r < CURRENT_SCRYPT.r || parsed.p < CURRENT_SCRYPT.p;
}

/** Verified against when the email is unknown, so a wrong email takes as long as a wrong password. */
export const UNKNOWN_USER_HASH = `scrypt$${CURRENT_SCRYPT.N}$${CURRENT_SCRYPT.r}$${CURRENT_SCRYPT.p}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEY_LENGTH).toString('base64')}`;
