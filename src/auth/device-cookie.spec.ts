import { DeviceCookies, MAX_DEVICE_ACCOUNTS } from './device-cookie';

const SECRET = 'a-device-cookie-secret-that-is-long-enough';
const DAY = 24 * 3600;
const NOW = 1_800_000_000;

describe('device cookies', () => {
  const devices = new DeviceCookies(SECRET, 180 * DAY);

  it('knows a device by the token it was given for an account, and only for that account', () => {
    const { value, nonce } = devices.issue([], 'dsp@school.example', NOW);
    const tokens = devices.read(value, NOW + DAY);
    expect(DeviceCookies.nonceFor(tokens, 'dsp@school.example')).toBe(nonce);
    expect(DeviceCookies.nonceFor(tokens, 'teacher@school.example')).toBeNull();
  });

  it('refuses a token signed with another key, or altered in any part', () => {
    const { value } = devices.issue([], 'dsp@school.example', NOW);
    expect(new DeviceCookies('another-secret-that-is-also-long-enough', 180 * DAY).read(value, NOW)).toEqual([]);
    const [email, nonce, issuedAt, mac] = value.split('.');
    const otherEmail = Buffer.from('head@school.example').toString('base64url');
    for (const forged of [
      [otherEmail, nonce, issuedAt, mac],
      [email, nonce.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')), issuedAt, mac],
      [email, nonce, String(Number(issuedAt) + DAY), mac],
      [email, nonce, issuedAt, mac.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))],
    ])
      expect(devices.read(forged.join('.'), NOW)).toEqual([]);
  });

  it('forgets a device once its token is older than the lifetime, and ignores one from the future', () => {
    const { value } = devices.issue([], 'dsp@school.example', NOW);
    expect(devices.read(value, NOW + 179 * DAY)).toHaveLength(1);
    expect(devices.read(value, NOW + 180 * DAY)).toEqual([]);
    expect(devices.read(value, NOW - DAY)).toEqual([]);
  });

  it('ignores rubbish without failing', () => {
    for (const rubbish of [undefined, 42, '', 'x', '~~~', 'a.b.c.d', 'é'.repeat(5000)])
      expect(devices.read(rubbish, NOW)).toEqual([]);
  });

  it(`remembers the last ${MAX_DEVICE_ACCOUNTS} accounts signed in on a shared computer, newest first`, () => {
    let tokens = devices.read('', NOW);
    const nonces: Record<string, string> = {};
    for (let i = 0; i <= MAX_DEVICE_ACCOUNTS; i += 1) {
      const issued = devices.issue(tokens, `staff${i}@school.example`, NOW + i);
      nonces[`staff${i}@school.example`] = issued.nonce;
      tokens = devices.read(issued.value, NOW + i);
    }
    expect(tokens.map((token) => token.email)).toEqual([5, 4, 3, 2, 1].map((i) => `staff${i}@school.example`));
    // Signing in again gives that account a new nonce, first, without a second token for it.
    const again = devices.issue(tokens, 'staff2@school.example', NOW + 10);
    const after = devices.read(again.value, NOW + 10);
    expect(after.map((token) => token.email)).toEqual([2, 5, 4, 3, 1].map((i) => `staff${i}@school.example`));
    expect(again.nonce).not.toBe(nonces['staff2@school.example']);
  });
});
