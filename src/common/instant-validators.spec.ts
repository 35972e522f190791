import { validateSync } from 'class-validator';
import { IsDateOfBirth } from './instant-validators';

class Member {
  @IsDateOfBirth()
  dateOfBirth: unknown;
}

const problems = (dateOfBirth: unknown) => {
  const member = new Member();
  member.dateOfBirth = dateOfBirth;
  return validateSync(member).length;
};

describe('IsDateOfBirth (a household member on a referral)', () => {
  it('takes a real past date', () => {
    expect(problems('1988-04-02')).toBe(0);
    expect(problems('2016-02-29')).toBe(0);
  });

  it('refuses a date in the future, an impossible date, a time, and anything before 1900', () => {
    expect(problems('2199-01-01')).toBe(1);
    expect(problems('2015-02-29')).toBe(1);
    expect(problems('1988-04-02T00:00:00Z')).toBe(1);
    expect(problems('1850-01-01')).toBe(1);
    expect(problems(19880402)).toBe(1);
  });
});
