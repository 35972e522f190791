import { hashOneTimeToken, looksLikeOneTimeToken, newOneTimeToken } from './one-time-token';

describe('one-time tokens', () => {
  it('are random, look like tokens, and are stored only as their hash', () => {
    const a = newOneTimeToken();
    const b = newOneTimeToken();
    expect(a.token).not.toBe(b.token);
    expect(looksLikeOneTimeToken(a.token)).toBe(true);
    expect(a.hash).toBe(hashOneTimeToken(a.token));
    expect(a.hash).not.toContain(a.token);
    expect(looksLikeOneTimeToken('../../etc/passwd')).toBe(false);
  });
});
