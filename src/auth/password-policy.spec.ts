import { PasswordProblem, passwordProblems } from './password-policy';

describe('password policy', () => {
  const email = 'sian.evans@riverside.example';

  it('accepts a long, uncommon password without the email name', () => {
    expect(passwordProblems('correct horse battery staple', email)).toEqual([]);
  });

  it('refuses fewer than 12 characters and more than 256', () => {
    expect(passwordProblems('a7#kd9!Lm2q', email)).toEqual([PasswordProblem.TooShort]);
    expect(passwordProblems('x'.repeat(257), email)).toContain(PasswordProblem.TooLong);
    expect(passwordProblems('x'.repeat(256), email)).not.toContain(PasswordProblem.TooLong);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(passwordProblems('🙂'.repeat(12), email)).not.toContain(PasswordProblem.TooShort);
    expect(passwordProblems('🙂'.repeat(11), email)).toContain(PasswordProblem.TooShort);
  });

  it('refuses a password among the 10,000 most common, whatever its case', () => {
    expect(passwordProblems('qwerty123456', email)).toContain(PasswordProblem.Common);
    expect(passwordProblems('1q2w3e4r5t6y', email)).toContain(PasswordProblem.Common);
    expect(passwordProblems('LeaveMeAlone', email)).toContain(PasswordProblem.Common);
  });

  it("refuses a password holding the email's name, whatever its case", () => {
    expect(passwordProblems('my-Sian.Evans-is-strong', email)).toEqual([PasswordProblem.ContainsEmailName]);
    expect(passwordProblems('jo-has-a-long-password', 'jo@x.example')).toEqual([]);
  });

  it.each([
    ['twelve spaces', ' '.repeat(12)],
    ['one character repeated', 'aaaaaaaaaaaa'],
    ['digits repeated', '111111111111'],
    ['a run of digits', '123456789012'],
    ['a run backwards', 'zyxwvutsrqpo'],
    ['a keyboard run', 'qwertyuiopas'],
    ['a word said twice', 'qwertyqwerty'],
    ['a common password with digits', 'password1234'],
    ['with a capital and symbols', 'Password123!'],
    ['with lookalikes', 'P@ssw0rd1234'],
    ['around it', '!!!dragon2024'],
  ])('refuses %s as too easy to guess', (_, password) => {
    expect(passwordProblems(password, email)).toEqual([PasswordProblem.Predictable]);
  });

  it.each([
    'correct horse battery staple',
    'afon taf yn llifo i’r môr',
    'lighthouse kettles and slate 31',
    'Tŷ Gwyn 1974 ar y bryn',
  ])('accepts a passphrase: %s', (password) => {
    expect(passwordProblems(password, email)).toEqual([]);
  });
});
