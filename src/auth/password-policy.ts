import { dictionary } from '@zxcvbn-ts/language-common';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
/** How many of the most common passwords are refused (the zxcvbn-ts list is ordered by how common). */
export const COMMON_PASSWORDS_REFUSED = 10_000;
/** An email's name shorter than this ("jo@…") is not looked for in the password: it would refuse too much. */
const SHORTEST_EMAIL_NAME_CHECKED = 3;

export enum PasswordProblem {
  TooShort = 'too_short',
  TooLong = 'too_long',
  Common = 'common',
  ContainsEmailName = 'contains_email_name',
}

/** The words of each problem, for the API's `errors.password` (pages translate `passwordPolicy.<problem>`). */
export const PASSWORD_PROBLEM_MESSAGES: Record<PasswordProblem, string> = {
  [PasswordProblem.TooShort]: `Password must be at least ${PASSWORD_MIN_LENGTH} characters`,
  [PasswordProblem.TooLong]: `Password must be at most ${PASSWORD_MAX_LENGTH} characters`,
  [PasswordProblem.Common]: 'Password is one of the 10,000 most common passwords: choose one that is harder to guess',
  [PasswordProblem.ContainsEmailName]: 'Password must not contain the part of your email address before the @',
};

const commonPasswords: ReadonlySet<string> = new Set(
  dictionary['passwords-common'].slice(0, COMMON_PASSWORDS_REFUSED).map((p) => p.toLowerCase()),
);

/**
 * What is wrong with a new password for an account with this email (none: it may be used). Lengths
 * count characters as people see them (code points), so an emoji is one. NIST SP 800-63B: length and a
 * list of known-bad passwords, no composition rules.
 */
export function passwordProblems(password: string, email: string): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) problems.push(PasswordProblem.TooShort);
  if (length > PASSWORD_MAX_LENGTH) problems.push(PasswordProblem.TooLong);
  const lowered = password.toLowerCase();
  if (commonPasswords.has(lowered)) problems.push(PasswordProblem.Common);
  const emailName = email.split('@')[0]?.toLowerCase() ?? '';
  if (emailName.length >= SHORTEST_EMAIL_NAME_CHECKED && lowered.includes(emailName))
    problems.push(PasswordProblem.ContainsEmailName);
  return problems;
}
