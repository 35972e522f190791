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
  /** Long enough but guessed at once: one character or a short pattern repeated, a run, a common password dressed up. */
  Predictable = 'predictable',
}

/** The words of each problem, for the API's `errors.password` (pages translate `passwordPolicy.<problem>`). */
export const PASSWORD_PROBLEM_MESSAGES: Record<PasswordProblem, string> = {
  [PasswordProblem.TooShort]: `Password must be at least ${PASSWORD_MIN_LENGTH} characters`,
  [PasswordProblem.TooLong]: `Password must be at most ${PASSWORD_MAX_LENGTH} characters`,
  [PasswordProblem.Common]: 'Password is one of the 10,000 most common passwords: choose one that is harder to guess',
  [PasswordProblem.ContainsEmailName]: 'Password must not contain the part of your email address before the @',
  [PasswordProblem.Predictable]:
    'Password is too easy to guess: avoid repeated or sequential characters, and common passwords with numbers or symbols added',
};

/** Fewer different characters than this (spaces, "aaaa…", "1212…") is a pattern, however long. */
const FEWEST_DISTINCT_CHARACTERS = 5;
/** Runs people type: a password inside one of these (or backwards) is a run. */
const RUNS = ['01234567890123456789', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiopasdfghjklzxcvbnm', 'qwertzuiop'];
/** What people put for letters ("p@ssw0rd"). */
const LOOKALIKES: Record<string, string> = {
  '@': 'a',
  '4': 'a',
  '3': 'e',
  '1': 'i',
  '!': 'i',
  '0': 'o',
  $: 's',
  '5': 's',
  '7': 't',
};

/**
 * The patterns attackers try first, beyond the list itself: a handful of characters repeated, a run on
 * the keyboard or the alphabet, a shorter string said twice or more, or a common password with digits or
 * symbols around it (and letters swapped for lookalikes).
 */
function isPredictable(lowered: string): boolean {
  if (new Set(lowered).size < FEWEST_DISTINCT_CHARACTERS) return true;
  const reversed = [...lowered].reverse().join('');
  if (RUNS.some((run) => run.includes(lowered) || run.includes(reversed))) return true;
  for (let unit = 1; unit <= lowered.length / 2; unit += 1)
    if (lowered.length % unit === 0 && lowered.slice(0, unit).repeat(lowered.length / unit) === lowered) return true;
  const core = lowered.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  const unswapped = [...core].map((c) => LOOKALIKES[c] ?? c).join('');
  return [core, unswapped].some((candidate) => candidate.length >= 4 && commonPasswords.has(candidate));
}

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
  else if (length >= PASSWORD_MIN_LENGTH && isPredictable(lowered)) problems.push(PasswordProblem.Predictable);
  const emailName = email.split('@')[0]?.toLowerCase() ?? '';
  if (emailName.length >= SHORTEST_EMAIL_NAME_CHECKED && lowered.includes(emailName))
    problems.push(PasswordProblem.ContainsEmailName);
  return problems;
}
