import { createHash } from 'node:crypto';

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

export function hashEntry(entry: ChainedFields): string {
  // Named one by one: whatever else the object carries (its own hash, ORM extras) is not covered.
  const payload = canonicalJson({
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
  return createHash('sha256').update(payload).digest('hex');
}

/**
 * Numbers and hashes `entries`, in order, onto the chain whose last entry is `head` (none: the genesis):
 * the rows to insert. The caller must hold the chain (its lock, or SQLite's one writer) from reading
 * the head until its transaction commits.
 */
export function chainOnto<E extends Omit<ChainedFields, 'seq' | 'prevHash'>>(
  head: { seq: number; hash: string } | null,
  entries: E[],
): Array<E & { seq: number; prevHash: string; hash: string }> {
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  return entries.map((entry) => {
    seq += 1;
    const fields = { ...entry, seq, prevHash };
    prevHash = hashEntry(fields);
    return { ...fields, hash: prevHash };
  });
}

export type ChainBreak = { seq: number; id: string; problem: string };

/** Walks entries in `seq` order and returns the first one that does not fit the chain, if any. */
export function findChainBreak(
  entries: Iterable<ChainedFields & { hash: string }>,
  previous?: { seq: number; hash: string },
): ChainBreak | null {
  let expectedSeq = previous ? previous.seq + 1 : 1;
  let prevHash = previous ? previous.hash : GENESIS_HASH;
  for (const entry of entries) {
    if (entry.seq !== expectedSeq) {
      return {
        seq: entry.seq,
        id: entry.id,
        problem: `expected entry ${expectedSeq} next, found ${entry.seq}: an entry was removed or inserted`,
      };
    }
    if (entry.prevHash !== prevHash) {
      return { seq: entry.seq, id: entry.id, problem: 'does not point at the hash of the entry before it' };
    }
    if (hashEntry(entry) !== entry.hash) {
      return { seq: entry.seq, id: entry.id, problem: 'its content does not match its hash: it was altered' };
    }
    prevHash = entry.hash;
    expectedSeq += 1;
  }
  return null;
}
