import { isValidUpn, upnCheckLetter, upnFor } from './upn';

describe('UPN check letter', () => {
  it('computes the check letter from weights 2 to 13, modulo 23', () => {
    // 6*2+8*3+1*4+2*5+0*6+1*7+4*8+1*9+2*10+0*11+0*12+1*13 = 12+24+4+10+0+7+32+9+20+0+0+13 = 131; 131 % 23 = 16 → 'T'
    expect(upnCheckLetter('681201412001')).toBe('T');
    expect(isValidUpn('T681201412001')).toBe(true);
  });

  it('rejects a wrong check letter, a wrong length and stray characters', () => {
    expect(isValidUpn('A681201412001')).toBe(false);
    expect(isValidUpn('T68120141200')).toBe(false);
    expect(isValidUpn('T6812014120O1')).toBe(false);
    expect(isValidUpn(681201412001)).toBe(false);
  });

  it('accepts temporary UPNs whose 13th character is a letter', () => {
    const temporary = upnFor('68120141200A');
    expect(isValidUpn(temporary)).toBe(true);
    expect(isValidUpn(temporary.slice(0, 12) + 'B')).toBe(false);
  });

  it('detects any single changed digit', () => {
    const upn = upnFor('681201412345');
    for (let i = 1; i < 13; i += 1) {
      const changed = upn.slice(0, i) + String((Number(upn[i]) + 1) % 10) + upn.slice(i + 1);
      expect(isValidUpn(changed)).toBe(false);
    }
  });
});
