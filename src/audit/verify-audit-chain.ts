import { DataSource } from 'typeorm';
import { ChainBreak, ChainProblem, ChainVerifier } from './audit-chain';
import { AuditCheckpoint, UnreadableLine } from './audit-checkpoints';
import { AuditEntry } from './audit-entry.entity';

const PAGE = 5000;

/**
 * How long an entry may wait, committed, for the chain (PostgreSQL's `audit_pending`) before the
 * check reports it: the chainer runs right after each commit and sweeps every second, so anything
 * older means chaining has stopped or fails.
 */
export const UNCHAINED_BOUND_MS = 60_000;

export interface AuditVerification {
  /** Entries on the chain checked before the first break (all of them when it is whole). */
  checked: number;
  /** The first chained entry that does not fit, if any. */
  broken: ChainBreak | null;
  /**
   * Everything wrong, as ranges of entries: in the chain (removed, forged, re-hashed, unlinked), and
   * against the checkpoints (truncated, rewritten, every entry deleted). Empty when all is well.
   */
  problems: ChainProblem[];
  /** Problem ranges found beyond those listed. */
  moreProblems: number;
  /** The last entry on the chain (none: the chain is empty). */
  head: { seq: number; hash: string } | null;
  /** Entries chained with plain SHA-256 before the key, covered by the first keyed entry (the anchor). */
  legacy: number;
  /** Checkpoints of this database compared with the chain (0 when none were given or found). */
  checkpoints: number;
  /** The newest checkpoint (highest seq) compared. */
  lastCheckpoint: AuditCheckpoint | null;
  /** Committed entries not yet on the chain (normally 0, or a few for a moment on PostgreSQL). */
  unchained: number;
  /** The oldest of them when it has waited longer than the bound: chaining is not keeping up or fails. */
  overdue: { id: string; at: string } | null;
}

export interface VerifyOptions {
  /** The audit key (AUDIT_KEY): the chain is checked against it, entry by entry. */
  key: string;
  /** This database's checkpoints, from outside it (the checkpoint file), in any order. */
  checkpoints?: AuditCheckpoint[];
  /** Lines of the checkpoint file that are not checkpoints: reported, since someone may have edited it. */
  unreadable?: UnreadableLine[];
  boundMs?: number;
  now?: Date;
}

/**
 * Reads the whole chain in pages, in order, and reports every entry that does not fit it (each must
 * carry the HMAC of its content under the key, and point at the entry before); then compares it with
 * the checkpoints written outside the database: a checkpoint beyond the head means entries were
 * removed from the end (or all of them), a checkpoint whose entry now has another HMAC means the chain
 * was rewritten. And it checks that every committed entry is on the chain, or has been waiting for it
 * less than `boundMs` (an entry that is in neither place cannot be told from one never made, so the
 * chainer moves entries in one transaction: pending or chained, never both or neither).
 */
export async function verifyAuditChain(dataSource: DataSource, options: VerifyOptions): Promise<AuditVerification> {
  const { key, checkpoints = [], unreadable = [], boundMs = UNCHAINED_BOUND_MS, now = new Date() } = options;
  const unchained = await waitingForChain(dataSource, now.getTime() - boundMs);
  const repository = dataSource.getRepository(AuditEntry);
  const verifier = new ChainVerifier(key);

  // The checkpoints by seq, each entry compared as the walk passes it.
  const atSeq = new Map<number, AuditCheckpoint[]>();
  for (const checkpoint of checkpoints) atSeq.set(checkpoint.seq, [...(atSeq.get(checkpoint.seq) ?? []), checkpoint]);
  const checkpointProblems: ChainProblem[] = [];
  const disagreeing = new Set<number>();
  for (const [seq, list] of atSeq) {
    if (new Set(list.map((checkpoint) => checkpoint.hash)).size > 1) {
      disagreeing.add(seq);
      checkpointProblems.push({
        from: seq,
        to: seq,
        problem: `checkpoints disagree about entry ${seq}'s HMAC (${list.map((c) => `${c.hash.slice(0, 12)}… at ${c.at}`).join(', ')}): the checkpoint file was edited`,
      });
    }
  }

  const matched: AuditCheckpoint[] = [];
  const mismatched: AuditCheckpoint[] = [];
  for (;;) {
    const qb = repository.createQueryBuilder('entry').orderBy('entry.seq', 'ASC').take(PAGE);
    if (verifier.last) qb.where('entry.seq > :after', { after: verifier.last.seq });
    const page = await qb.getMany();
    if (page.length === 0) break;
    for (const entry of page) {
      verifier.feed(entry);
      const expected = atSeq.get(entry.seq)?.[0];
      if (expected && !disagreeing.has(entry.seq)) (expected.hash === entry.hash ? matched : mismatched).push(expected);
    }
  }
  // A checkpoint whose entry has another HMAC now: rewritten somewhere after the last checkpoint that still holds.
  for (const checkpoint of mismatched) {
    const before = matched
      .filter((held) => held.seq < checkpoint.seq)
      .reduce((top, held) => Math.max(top, held.seq), 0);
    checkpointProblems.push({
      from: before + 1,
      to: checkpoint.seq,
      problem:
        `entry ${checkpoint.seq}'s HMAC is not the one checkpointed at ${checkpoint.at}: entries in this range were ` +
        `rewritten and re-hashed after that checkpoint${before ? ` (entry ${before} still matches its checkpoint)` : ''}`,
    });
  }

  const head = verifier.last;
  const newest = checkpoints.reduce<AuditCheckpoint | null>((top, c) => (!top || c.seq > top.seq ? c : top), null);
  if (newest && newest.seq > 0 && !head) {
    checkpointProblems.push({
      from: 1,
      to: newest.seq,
      problem: `every entry was deleted: the log is empty, but a checkpoint at ${newest.at} recorded entries up to ${newest.seq}`,
    });
  } else if (newest && head && newest.seq > head.seq) {
    checkpointProblems.push({
      from: head.seq + 1,
      to: newest.seq,
      problem: `removed from the end: the chain ends at entry ${head.seq}, but a checkpoint at ${newest.at} recorded entries up to ${newest.seq}`,
    });
  }
  const chainProblems = [...verifier.problems];
  if (head && verifier.keyed === 0 && verifier.legacy > 0) {
    chainProblems.push({
      from: 1,
      to: head.seq,
      problem:
        'no entry is signed with the key: the chain is plain SHA-256, which anyone who can write to the database ' +
        'can recompute (starting the app with AUDIT_KEY anchors it with the next entry)',
    });
  }
  const fileProblems = unreadable.map(({ line, text }) => ({
    from: 0,
    to: 0,
    problem: `checkpoint file line ${line} is not a checkpoint (${JSON.stringify(text)}): the file was edited or damaged`,
  }));
  return {
    checked: verifier.checked,
    broken: verifier.firstBreak,
    problems: [...chainProblems, ...checkpointProblems, ...fileProblems],
    moreProblems: verifier.moreProblems,
    head,
    legacy: verifier.legacy,
    checkpoints: checkpoints.length,
    lastCheckpoint: newest,
    ...unchained,
  };
}

async function waitingForChain(
  dataSource: DataSource,
  overdueBefore: number,
): Promise<Pick<AuditVerification, 'unchained' | 'overdue'>> {
  const [{ count }]: Array<{ count: number | string }> = await dataSource.query(
    'SELECT COUNT(*) AS count FROM audit_pending',
  );
  if (Number(count) === 0) return { unchained: 0, overdue: null };
  const oldest: Array<{ id: string; at: string }> = await dataSource.query(
    'SELECT id, at FROM audit_pending ORDER BY at ASC LIMIT 1',
  );
  const overdue = oldest[0] && Date.parse(oldest[0].at) < overdueBefore ? oldest[0] : null;
  return { unchained: Number(count), overdue };
}
