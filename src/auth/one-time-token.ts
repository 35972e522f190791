import { createHash, randomBytes } from 'node:crypto';

/**
 * Tokens for links sent by email (invitations, password resets): 256 random bits, base64url. Only the
 * SHA-256 of a token is stored, so a copy of the database cannot be used to follow a link; a single
 * hash is enough because the token itself is random, not chosen by a person.
 */
export interface OneTimeToken {
  /** Goes in the link, never stored. */
  token: string;
  /** Stored, and looked up by. */
  hash: string;
}

export function newOneTimeToken(): OneTimeToken {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOneTimeToken(token) };
}

export function hashOneTimeToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A path parameter that could be one of our tokens (so anything else is a 404 without a query). */
export const looksLikeOneTimeToken = (value: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(value);
