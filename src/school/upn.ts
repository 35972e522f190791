/** The 23 letters UPNs use (no I, O or S): the check letter is this list's entry for the remainder. */
const CHECK_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/**
 * A Unique Pupil Number: a check letter, then 12 characters (LA code, establishment, year, serial),
 * of which the 12th may be a letter in a temporary UPN. The check letter is the sum of each
 * character's value times its position (2 to 13), modulo 23.
 */
export function upnCheckLetter(body: string): string | null {
  if (!/^\d{11}[\dA-HJ-NP-RT-Z]$/.test(body)) return null;
  let sum = 0;
  for (let i = 0; i < 12; i += 1) {
    const char = body[i];
    const value = /\d/.test(char) ? Number(char) : CHECK_LETTERS.indexOf(char);
    sum += value * (i + 2);
  }
  return CHECK_LETTERS[sum % 23];
}

export function isValidUpn(upn: unknown): upn is string {
  if (typeof upn !== 'string' || upn.length !== 13) return false;
  return upnCheckLetter(upn.slice(1)) === upn[0];
}

/** Builds a valid UPN from its 12-character body (used by the demo seed and test factories). */
export function upnFor(body: string): string {
  const letter = upnCheckLetter(body);
  if (!letter) throw new Error(`Not a UPN body: ${body}`);
  return letter + body;
}
