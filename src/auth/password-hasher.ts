import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParameters {
  N: number;
  r: number;
  p: number;
}

/**
 * scrypt with N=2^cost, r=8, p=3. At the standard cost (15, config's STANDARD_PASSWORD_HASH_COST)
 * OWASP's Password Storage Cheat Sheet lists it as equivalent to its first recommendation (N=2^17,
 * r=8, p=1): the same CPU cost with a quarter of the memory (32 MiB per hash). Tests use a lower cost.
 */
export function scryptParameters(cost: number): ScryptParameters {
  return { N: 2 ** cost, r: 8, p: 3 };
}
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
 * `scrypt$N$r$p$salt$key`: each hash keeps its parameters, so they can be raised later (or lowered for
 * tests) without breaking stored hashes.
 */
export async function hashPassword(password: string, parameters: ScryptParameters): Promise<string> {
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

/** A stored hash made with weaker parameters than `current`: replaced at the next successful sign-in. */
export function needsRehash(stored: string, current: ScryptParameters): boolean {
  const parsed = parametersOf(stored);
  return !parsed || parsed.N < current.N || parsed.r < current.r || parsed.p < current.p;
}

/**
 * Verified against when the email is unknown, so a wrong email takes as long as a wrong password.
 * Never matches: its key is all zeros.
 */
export function unknownUserHash({ N, r, p }: ScryptParameters): string {
  return ['scrypt', N, r, p, Buffer.alloc(16).toString('base64'), Buffer.alloc(KEY_LENGTH).toString('base64')].join(
    '$',
  );
}
