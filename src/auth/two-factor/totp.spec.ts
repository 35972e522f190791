import { generate } from 'otplib';
import {
  groupedSecret,
  matchTotp,
  newRecoveryCodes,
  newTotpSecret,
  normaliseRecoveryCode,
  otpauthUrlFor,
  RECOVERY_CODE_COUNT,
  timeStepAt,
  TwoFactorSecrets,
} from './totp';

/** A moment in the middle of a time step, so "one step either side" is never a matter of milliseconds. */
const NOW = (timeStepAt(Date.UTC(2026, 11, 1, 9, 0, 0)) * 30 + 15) * 1000;
const codeAt = (secret: string, ms: number) => generate({ secret, epoch: Math.floor(ms / 1000) });

describe('two-factor codes (RFC 6238)', () => {
  const secret = newTotpSecret();

  it('makes 160-bit base32 secrets and an otpauth address naming the product and the account', () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(otpauthUrlFor(secret, 'dsp@riverside.example'));
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe('/Safeguarding record:dsp@riverside.example');
    expect(url.searchParams.get('secret')).toBe(secret);
    expect(url.searchParams.get('issuer')).toBe('Safeguarding record');
    expect(groupedSecret('ABCDEFGHIJ')).toBe('ABCD EFGH IJ');
  });

  it('accepts the current code, and one step either side, as an app on a slightly wrong clock makes them', async () => {
    const step = timeStepAt(NOW);
    expect(await matchTotp(secret, await codeAt(secret, NOW), NOW, null)).toBe(step);
    expect(await matchTotp(secret, await codeAt(secret, NOW - 30_000), NOW, null)).toBe(step - 1);
    expect(await matchTotp(secret, await codeAt(secret, NOW + 30_000), NOW, null)).toBe(step + 1);
  });

  it('refuses a code two steps away, a code of another secret, and anything that is not six digits', async () => {
    expect(await matchTotp(secret, await codeAt(secret, NOW - 60_000), NOW, null)).toBeNull();
    expect(await matchTotp(secret, await codeAt(secret, NOW + 60_000), NOW, null)).toBeNull();
    expect(await matchTotp(secret, await codeAt(newTotpSecret(), NOW), NOW, null)).toBeNull();
    for (const typed of ['', '12345', '1234567', 'abcdef', '12 34 5'])
      expect(await matchTotp(secret, typed, NOW, null)).toBeNull();
  });

  it('takes the code with the spaces an app shows it with', async () => {
    const code = await codeAt(secret, NOW);
    expect(await matchTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, NOW, null)).toBe(timeStepAt(NOW));
  });

  it('refuses a replay: the step already used, and any earlier one', async () => {
    const step = timeStepAt(NOW);
    const code = await codeAt(secret, NOW);
    expect(await matchTotp(secret, code, NOW, step)).toBeNull();
    expect(await matchTotp(secret, await codeAt(secret, NOW - 30_000), NOW, step)).toBeNull();
    // The next step's code is still good after this one was used.
    expect(await matchTotp(secret, await codeAt(secret, NOW + 30_000), NOW, step)).toBe(step + 1);
  });
});

describe('recovery codes', () => {
  it('makes ten different codes, easy to read aloud', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
  });

  it('reads a code whatever its case, spaces and hyphens; refuses what cannot be one', () => {
    expect(normaliseRecoveryCode(' ABCD-efgh-2345 ')).toBe('abcdefgh2345');
    expect(normaliseRecoveryCode('abcd efgh 2345')).toBe('abcdefgh2345');
    expect(normaliseRecoveryCode('123456')).toBeNull();
    expect(normaliseRecoveryCode('abcd-efgh-234')).toBeNull();
  });
});

describe(TwoFactorSecrets.name, () => {
  const secrets = new TwoFactorSecrets('k'.repeat(40));

  it('encrypts a secret for one account: it opens for that account only, and not under another key', () => {
    const sealed = secrets.seal('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 'user-1');
    expect(sealed).not.toContain('JBSWY3DP');
    expect(secrets.open(sealed, 'user-1')).toBe('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    expect(secrets.open(sealed, 'user-2')).toBeNull();
    expect(new TwoFactorSecrets('j'.repeat(40)).open(sealed, 'user-1')).toBeNull();
    expect(secrets.open('not sealed', 'user-1')).toBeNull();
  });

  it('keeps recovery codes as keyed hashes only', () => {
    const hash = secrets.recoveryCodeHash('abcdefgh2345');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(secrets.recoveryCodeHash('abcdefgh2345'));
    expect(new TwoFactorSecrets('j'.repeat(40)).recoveryCodeHash('abcdefgh2345')).not.toBe(hash);
  });
});
