import { STANDARD_PASSWORD_HASH_COST } from '../config/app-config';
import { hashPassword, needsRehash, scryptParameters, unknownUserHash, verifyPassword } from './password-hasher';

describe('password hashing', () => {
  const standard = scryptParameters(STANDARD_PASSWORD_HASH_COST);
  /** A low cost, as tests configure, so the cases below stay cheap. */
  const low = scryptParameters(4);

  it('verifies the right password and refuses a wrong one, at the standard cost (N=2^15, r=8, p=3)', async () => {
    const stored = await hashPassword('correct horse battery staple', standard);
    expect(stored).toMatch(/^scrypt\$32768\$8\$3\$/);
    await expect(verifyPassword('correct horse battery staple', stored)).resolves.toBe(true);
    await expect(verifyPassword('Correct horse battery staple', stored)).resolves.toBe(false);
  });

  it('keeps the parameters in the hash, so a hash made at a lower cost still verifies', async () => {
    const stored = await hashPassword('correct horse battery staple', low);
    expect(stored).toMatch(/^scrypt\$16\$8\$3\$/);
    await expect(verifyPassword('correct horse battery staple', stored)).resolves.toBe(true);
    await expect(verifyPassword('wrong', stored)).resolves.toBe(false);
  });

  it('salts each hash, so equal passwords do not look equal', async () => {
    expect(await hashPassword('same', low)).not.toEqual(await hashPassword('same', low));
  });

  it('never accepts anything against the unknown-user hash or a malformed one', async () => {
    expect(unknownUserHash(standard)).toMatch(/^scrypt\$32768\$8\$3\$/);
    await expect(verifyPassword('', unknownUserHash(low))).resolves.toBe(false);
    await expect(verifyPassword('x', 'plain-text')).resolves.toBe(false);
  });

  it('still verifies hashes stored with older parameters, and marks weaker ones for rehashing', async () => {
    const older = await hashPassword('correct horse battery staple', { N: 16, r: 8, p: 1 });
    expect(older).toMatch(/^scrypt\$16\$8\$1\$/);
    await expect(verifyPassword('correct horse battery staple', older)).resolves.toBe(true);
    expect(needsRehash(older, low)).toBe(true);
    expect(needsRehash(await hashPassword('x', scryptParameters(3)), low)).toBe(true);
    expect(needsRehash(await hashPassword('x', low), low)).toBe(false);
    expect(needsRehash(await hashPassword('x', scryptParameters(5)), low)).toBe(false);
    expect(needsRehash('plain-text', low)).toBe(true);
    expect(needsRehash(`scrypt$16384$8$3$AA==$AA==`, standard)).toBe(true);
  });

  it('refuses, rather than fails on, parameters scrypt cannot use', async () => {
    await expect(verifyPassword('x', 'scrypt$1$1$1$AA==$AA==')).resolves.toBe(false);
    await expect(verifyPassword('x', 'scrypt$abc$8$1$AA==$AA==')).resolves.toBe(false);
  });
});
