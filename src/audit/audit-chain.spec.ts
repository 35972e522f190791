import {
  canonicalJson,
  ChainedFields,
  ChainVerifier,
  findChainBreak,
  GENESIS_HASH,
  hashEntry,
  legacyHashEntry,
  PROBLEMS,
} from './audit-chain';

const KEY = 'unit-test-audit-key-0123456789abcdef';

type Entry = ChainedFields & { hash: string };

/** `count` entries chained from the genesis; `legacy` of them first with plain SHA-256 (a database from before the key). */
function chain(count: number, legacy = 0): Entry[] {
  const entries: Entry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq += 1) {
    const fields: ChainedFields = {
      seq,
      id: `id-${seq}`,
      at: new Date(Date.UTC(2026, 0, 1, 9, seq)),
      actorUserId: 'u1',
      actorName: 'Dana DSP',
      actorRole: 'dsp',
      actorOrganisationId: 'org1',
      action: 'pupil.viewed',
      subjectType: 'pupil',
      subjectId: `p${seq}`,
      details: { n: seq },
      prevHash,
    };
    const hash = seq <= legacy ? legacyHashEntry(fields) : hashEntry(KEY, fields);
    entries.push({ ...fields, hash });
    prevHash = hash;
  }
  return entries;
}

/** Re-hashes entries from `from` (1-based) to the end, as someone who can write to the database would. */
function rehashFrom(entries: Entry[], from: number, hash: (fields: ChainedFields) => string): void {
  for (let i = from - 1; i < entries.length; i += 1) {
    const fields = { ...entries[i], prevHash: i === 0 ? GENESIS_HASH : entries[i - 1].hash };
    entries[i] = { ...fields, hash: hash(fields) };
  }
}

function verify(entries: Entry[], key = KEY): ChainVerifier {
  const verifier = new ChainVerifier(key);
  for (const entry of entries) verifier.feed(entry);
  return verifier;
}

describe('audit chain', () => {
  it('accepts an untouched keyed chain', () => {
    const verifier = verify(chain(5));
    expect(verifier.problems).toEqual([]);
    expect(verifier.checked).toBe(5);
    expect(verifier.keyed).toBe(5);
  });

  it('names the altered entry', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2], actorName: 'Someone else' };
    expect(findChainBreak(KEY, entries)).toEqual(
      expect.objectContaining({ seq: 3, problem: expect.stringMatching(/altered/) }),
    );
    expect(verify(entries).problems).toEqual([{ from: 3, to: 3, problem: PROBLEMS.forged }]);
  });

  it('names the entry after a removed one, and the missing range', () => {
    const entries = chain(6);
    entries.splice(1, 2);
    expect(findChainBreak(KEY, entries)).toEqual(
      expect.objectContaining({ seq: 4, problem: expect.stringMatching(/removed/) }),
    );
    expect(verify(entries).problems).toEqual([{ from: 2, to: 3, problem: PROBLEMS.removed }]);
  });

  it('names the whole range an editor re-hashed with plain SHA-256', () => {
    const entries = chain(6);
    entries[2] = { ...entries[2], subjectId: 'other' };
    rehashFrom(entries, 3, legacyHashEntry);
    expect(verify(entries).problems).toEqual([{ from: 3, to: 6, problem: PROBLEMS.legacyAfterKeyed }]);
  });

  it('names the whole range an editor re-signed with another key', () => {
    const entries = chain(6);
    entries[3] = { ...entries[3], actorName: 'Someone else' };
    rehashFrom(entries, 4, (fields) => hashEntry('a-key-that-is-not-the-audit-key-at-all', fields));
    expect(verify(entries).problems).toEqual([{ from: 4, to: 6, problem: PROBLEMS.forged }]);
  });

  it('notices one re-hashed entry in the middle by the next one no longer pointing at it', () => {
    const entries = chain(4);
    const forged = { ...entries[1], subjectId: 'other' };
    entries[1] = { ...forged, hash: hashEntry(KEY, forged) };
    // With the key the forger could sign entry 2, but entry 3 still names entry 2's old hash.
    expect(verify(entries).problems).toEqual([{ from: 3, to: 3, problem: PROBLEMS.unlinked }]);
  });

  it('accepts an older SHA-256 chain anchored by the first keyed entry, and pins it', () => {
    const entries = chain(6, 3);
    const verifier = verify(entries);
    expect(verifier.problems).toEqual([]);
    expect([verifier.legacy, verifier.keyed]).toEqual([3, 3]);

    // Rewriting the older part, re-hashed with SHA-256 up to the anchor, breaks the anchor's link to it.
    entries[1] = { ...entries[1], actorName: 'Someone else' };
    for (let i = 1; i < 3; i += 1) {
      const fields = { ...entries[i], prevHash: entries[i - 1].hash };
      entries[i] = { ...fields, hash: legacyHashEntry(fields) };
    }
    expect(verify(entries).problems).toEqual([{ from: 4, to: 4, problem: PROBLEMS.unlinked }]);
  });

  it('with the wrong key, says every entry fails', () => {
    expect(verify(chain(3), 'not-the-key-the-chain-was-written-with').problems).toEqual([
      { from: 1, to: 3, problem: PROBLEMS.forged },
    ]);
  });

  it('hashes details independently of key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });
});
