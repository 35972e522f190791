import { hashPassword, needsRehash, UNKNOWN_USER_HASH, verifyPassword } from './password-hasher';

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(/^scrypt\$32768\$8\$3\$/);
    await expect(verifyPassword('correct horse battery staple', stored)).resolves.toBe(true);
    await expect(verifyPassword('Correct horse battery staple', stored)).resolves.toBe(false);
  });

  it('salts each hash, so equal passwords do not look equal', async () => {
    expect(await hashPassword('same')).not.toEqual(await hashPassword('same'));
  });

  it('never accepts anything against the unknown-user hash or a malformed one', async () => {
    await expect(verifyPassword('', UNKNOWN_USER_HASH)).resolves.toBe(false);
    await expect(verifyPassword('x', 'plain-text')).resolves.toBe(false);
  });

  it('still verifies hashes stored with older parameters, and marks weaker ones for rehashing', async () => {
    const older = await hashPassword('correct horse battery staple', { N: 32768, r: 8, p: 1 });
    expect(older).toMatch(/^scrypt\$32768\$8\$1\$/);
    await expect(verifyPassword('correct horse battery staple', older)).resolves.toBe(true);
    expect(needsRehash(older)).toBe(true);
    expect(needsRehash(await hashPassword('x', { N: 16384, r: 8, p: 3 }))).toBe(true);
    expect(needsRehash(await hashPassword('x'))).toBe(false);
    expect(needsRehash('plain-text')).toBe(true);
  });

  it('refuses, rather than fails on, parameters scrypt cannot use', async () => {
    await expect(verifyPassword('x', 'scrypt$1$1$1$AA==$AA==')).resolves.toBe(false);
    await expect(verifyPassword('x', 'scrypt$abc$8$1$AA==$AA==')).resolves.toBe(false);
  });
});
