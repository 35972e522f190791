import { createHash, createHmac } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an entry that its hash covers: everything but the hash itself. */
export interface ChainedFields {
  seq: number;
  id: string;
  at: Date;
  actorUserId: string | null;
  actorName: string;
  actorRole: string | null;
  actorOrganisationId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  details: Record<string, unknown> | null;
  prevHash: string;
}

/** JSON with object keys sorted, so the same content always hashes the same way. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The text an entry's hash is computed over: its fields, named one by one, in canonical JSON. */
export function entryPayload(entry: ChainedFields): string {
  // Named one by one: whatever else the object carries (its own hash, ORM extras) is not covered.
  return canonicalJson({
    seq: entry.seq,
    id: entry.id,
    at: entry.at.toISOString(),
    actorUserId: entry.actorUserId,
    actorName: entry.actorName,
    actorRole: entry.actorRole,
    actorOrganisationId: entry.actorOrganisationId,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    details: entry.details ?? null,
    prevHash: entry.prevHash,
  });
}

/**
 * How entries were chained before the key (plain SHA-256 of the payload): anyone who can write to the
 * database can recompute it. Kept only to check the entries of an older database before its anchor.
 */
export function legacyHashEntry(entry: ChainedFields): string {
  return createHash('sha256').update(entryPayload(entry)).digest('hex');
}

/** HMAC-SHA256 of the payload under the audit key (AUDIT_KEY): only a holder of the key can make one. */
export function hashEntry(key: string, entry: ChainedFields): string {
  return createHmac('sha256', key).update(entryPayload(entry)).digest('hex');
}

/**
 * Numbers and signs `entries`, in order, onto the chain whose last entry is `head` (none: the genesis):
 * the rows to insert. The caller must hold the chain (its lock, or SQLite's one writer) from reading
 * the head until its transaction commits. A head made before the key (plain SHA-256) is simply the
 * previous hash: the first keyed entry covers it, and so anchors the older chain (see ChainVerifier).
 */
export function chainOnto<E extends Omit<ChainedFields, 'seq' | 'prevHash'>>(
  key: string,
  head: { seq: number; hash: string } | null,
  entries: E[],
): Array<E & { seq: number; prevHash: string; hash: string }> {
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  return entries.map((entry) => {
    seq += 1;
    const fields = { ...entry, seq, prevHash };
    prevHash = hashEntry(key, fields);
    return { ...fields, hash: prevHash };
  });
}

export type ChainBreak = { seq: number; id: string; problem: string };

/** Consecutive entries (`from`..`to`, inclusive) with the same problem. */
export interface ChainProblem {
  from: number;
  to: number;
  problem: string;
}

/** Distinct problem ranges kept in full; beyond that only counted (a wholesale rewrite is one range anyway). */
const MAX_PROBLEM_RANGES = 200;

export const PROBLEMS = {
  removed: 'missing: removed from the log (the entries around them are numbered past them)',
  forged:
    'its content does not match its HMAC: altered, or re-hashed without the key (or AUDIT_KEY is not the key it was written with)',
  legacyAfterKeyed:
    'hashed with plain SHA-256 after the chain was keyed: altered and re-hashed by someone without the key',
  unlinked: 'does not point at the hash of the entry before it: the entry before it was replaced',
} as const;

/**
 * Walks the chain in `seq` order (fed page by page) and collects every entry that does not fit, as
 * ranges. Each entry must be signed with the key (HMAC-SHA256) and point at the stored hash of the one
 * before. Entries of a database chained before the key (plain SHA-256) are accepted only before the
 * first keyed entry, the anchor: its HMAC covers the last of them (its `prevHash`), so none of them can
 * change without breaking it, and an SHA-256 entry after it is a forgery.
 */
export class ChainVerifier {
  /** Entries that fit (whole chain when there are no problems). */
  checked = 0;
  /** Entries chained before the key, accepted because the anchor covers them. */
  legacy = 0;
  /** Entries signed with the key. */
  keyed = 0;
  /** The first entry that does not fit, as the first-break report has always named it. */
  firstBreak: ChainBreak | null = null;
  readonly problems: ChainProblem[] = [];
  /** Problem ranges beyond MAX_PROBLEM_RANGES, counted but not listed. */
  moreProblems = 0;
  /** The last entry seen (the head, once every page has been fed). */
  last: { seq: number; hash: string } | null = null;
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;

  constructor(private readonly key: string) {}

  feed(entry: ChainedFields & { hash: string }): void {
    if (entry.seq > this.expectedSeq) {
      this.report(this.expectedSeq, entry.seq - 1, PROBLEMS.removed, {
        seq: entry.seq,
        id: entry.id,
        problem: `expected entry ${this.expectedSeq} next, found ${entry.seq}: an entry was removed or inserted`,
      });
    }
    let fits = true;
    if (hashEntry(this.key, entry) === entry.hash) this.keyed += 1;
    else if (this.keyed === 0 && legacyHashEntry(entry) === entry.hash) this.legacy += 1;
    else {
      fits = false;
      const legacy = this.keyed > 0 && legacyHashEntry(entry) === entry.hash;
      const problem = legacy ? PROBLEMS.legacyAfterKeyed : PROBLEMS.forged;
      this.report(entry.seq, entry.seq, problem, { seq: entry.seq, id: entry.id, problem });
    }
    // After a gap the link is to an entry that is gone: the gap is the problem already reported.
    if (fits && entry.seq === this.expectedSeq && entry.prevHash !== this.prevHash) {
      fits = false;
      this.report(entry.seq, entry.seq, PROBLEMS.unlinked, {
        seq: entry.seq,
        id: entry.id,
        problem: 'does not point at the hash of the entry before it',
      });
    }
    if (fits && !this.firstBreak) this.checked += 1;
    this.prevHash = entry.hash;
    this.expectedSeq = entry.seq + 1;
    this.last = { seq: entry.seq, hash: entry.hash };
  }

  private report(from: number, to: number, problem: string, asBreak: ChainBreak): void {
    this.firstBreak ??= asBreak;
    const previous = this.problems[this.problems.length - 1];
    if (previous && previous.problem === problem && previous.to === from - 1) previous.to = to;
    else if (this.problems.length < MAX_PROBLEM_RANGES) this.problems.push({ from, to, problem });
    else this.moreProblems += 1;
  }
}

/** The first entry of `entries` (in `seq` order) that does not fit the chain, if any. */
export function findChainBreak(key: string, entries: Iterable<ChainedFields & { hash: string }>): ChainBreak | null {
  const verifier = new ChainVerifier(key);
  for (const entry of entries) verifier.feed(entry);
  return verifier.firstBreak;
}
