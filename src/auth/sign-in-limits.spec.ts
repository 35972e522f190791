import { decide, LimitCount, limitsFor, SignInLimit } from './sign-in-limits';

const WINDOW = 15 * 60 * 1000;
const NOW = Date.parse('2026-03-02T09:00:00.000Z');
/** `n` failures, newest first, the newest `newestMinutesAgo` old and one minute apart. */
const failures = (n: number, newestMinutesAgo = 1) =>
  Array.from({ length: n }, (_, i) => new Date(NOW - (newestMinutesAgo + i) * 60 * 1000));
const count = (limit: SignInLimit, max: number, n: number, newestMinutesAgo = 1): LimitCount => ({
  limit,
  max,
  failures: failures(n, newestMinutesAgo),
});

describe('sign-in limits', () => {
  describe('which limits apply', () => {
    it('holds a known device only to its own failures, so nothing done elsewhere refuses it', () => {
      expect(limitsFor({ knownDevice: true, hasAddress: true })).toEqual([SignInLimit.Device]);
      expect(limitsFor({ knownDevice: true, hasAddress: false })).toEqual([SignInLimit.Device]);
    });

    it('holds an unknown device to the address, the account and the pair, widest first', () => {
      expect(limitsFor({ knownDevice: false, hasAddress: true })).toEqual([
        SignInLimit.Address,
        SignInLimit.Account,
        SignInLimit.AccountAddress,
      ]);
      expect(limitsFor({ knownDevice: false, hasAddress: false })).toEqual([
        SignInLimit.Account,
        SignInLimit.AccountAddress,
      ]);
    });
  });

  describe('deciding', () => {
    it('admits below every limit, and says which limits a failure now would reach', () => {
      expect(
        decide([count(SignInLimit.Address, 100, 50), count(SignInLimit.AccountAddress, 5, 4)], NOW, WINDOW),
      ).toEqual({ admitted: true, reaching: [SignInLimit.AccountAddress] });
      expect(decide([count(SignInLimit.Account, 20, 3)], NOW, WINDOW)).toEqual({ admitted: true, reaching: [] });
    });

    it('refuses at a limit until its oldest counted failure leaves the window', () => {
      // Five failures 1..5 minutes ago: the fifth newest clears 10 minutes from now.
      expect(decide([count(SignInLimit.AccountAddress, 5, 5)], NOW, WINDOW)).toEqual({
        admitted: false,
        limit: SignInLimit.AccountAddress,
        retryAfterSeconds: 600,
      });
    });

    it('names the widest limit reached, and waits for every limit reached to clear', () => {
      const decision = decide(
        [
          count(SignInLimit.Address, 100, 3),
          count(SignInLimit.Account, 3, 3, 2),
          count(SignInLimit.AccountAddress, 5, 5, 1),
        ],
        NOW,
        WINDOW,
      );
      // The account's third newest (4 minutes ago) clears in 11 minutes, the pair's fifth (5 minutes ago) in 10.
      expect(decision).toEqual({ admitted: false, limit: SignInLimit.Account, retryAfterSeconds: 660 });
    });

    it('never asks to wait less than a second', () => {
      expect(decide([count(SignInLimit.Device, 5, 5, 15)], NOW, WINDOW)).toMatchObject({
        admitted: false,
        retryAfterSeconds: 1,
      });
    });
  });
});
