import { SignInConfig } from '../config/app-config';

/**
 * What a refused sign-in was refused for, as the API's `limit` and the sign-in page's message say it
 * (docs/security.md, Sign-in throttling):
 * - `device`: wrong passwords from this known device (its device cookie) for this account;
 * - `address`: failed sign-ins from this network address, by devices not known to the account tried;
 * - `account`: wrong passwords for this account from devices not known to it, from every address;
 * - `account_address`: wrong passwords for this account from this address, by devices not known to it.
 */
export enum SignInLimit {
  Device = 'device',
  Address = 'address',
  Account = 'account',
  AccountAddress = 'account_address',
}

/** One limit's count: its most recent counted failures (newest first, at most `max` of them). */
export interface LimitCount {
  limit: SignInLimit;
  max: number;
  failures: Date[];
}

export type LimitDecision =
  { admitted: true; reaching: SignInLimit[] } | { admitted: false; limit: SignInLimit; retryAfterSeconds: number };

/**
 * The limits that apply to a client, in the order a refusal names them (widest cause first, so the
 * message says what would still be refused elsewhere). A known device answers only for itself: what
 * others do from other addresses or devices never refuses it. Without an address, only the account.
 */
export function limitsFor(client: { knownDevice: boolean; hasAddress: boolean }): SignInLimit[] {
  if (client.knownDevice) return [SignInLimit.Device];
  return client.hasAddress
    ? [SignInLimit.Address, SignInLimit.Account, SignInLimit.AccountAddress]
    : [SignInLimit.Account, SignInLimit.AccountAddress];
}

export function maxFailures(limit: SignInLimit, config: SignInConfig): number {
  switch (limit) {
    case SignInLimit.Device:
      return config.maxFailuresPerDevice;
    case SignInLimit.Address:
      return config.maxFailuresPerAddress;
    case SignInLimit.Account:
      return config.maxFailuresPerAccount;
    case SignInLimit.AccountAddress:
      return config.maxFailuresPerAccountAddress;
  }
}

/**
 * Refuses when any limit has `max` failures in the window, naming the first such (in `counts` order)
 * and waiting until every limit reached has cleared (its `max`-th newest failure leaves the window).
 * Otherwise admits, saying which limits this attempt reaches if it fails too (a lockout begins).
 */
export function decide(counts: LimitCount[], nowMs: number, windowMs: number): LimitDecision {
  const reached = counts.filter((count) => count.failures.length >= count.max);
  if (reached.length > 0) {
    const clearsAt = Math.max(...reached.map((count) => count.failures[count.max - 1].getTime() + windowMs));
    return {
      admitted: false,
      limit: reached[0].limit,
      retryAfterSeconds: Math.max(1, Math.ceil((clearsAt - nowMs) / 1000)),
    };
  }
  return {
    admitted: true,
    reaching: counts.filter((count) => count.failures.length + 1 >= count.max).map((count) => count.limit),
  };
}
