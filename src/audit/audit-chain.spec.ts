import { canonicalJson, ChainedFields, findChainBreak, GENESIS_HASH, hashEntry } from './audit-chain';

function chain(count: number): Array<ChainedFields & { hash: string }> {
  const entries: Array<ChainedFields & { hash: string }> = [];
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
      details: { q: 'smith', n: seq },
      prevHash,
    };
    const hash = hashEntry(fields);
    entries.push({ ...fields, hash });
    prevHash = hash;
  }
  return entries;
}

describe('audit chain', () => {
  it('accepts an untouched chain', () => {
    expect(findChainBreak(chain(5))).toBeNull();
  });

  it('names the altered entry', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2], actorName: 'Someone else' };
    expect(findChainBreak(entries)).toEqual(
      expect.objectContaining({ seq: 3, problem: expect.stringMatching(/altered/) }),
    );
  });

  it('names the entry after a removed one', () => {
    const entries = chain(5);
    entries.splice(1, 1);
    expect(findChainBreak(entries)).toEqual(
      expect.objectContaining({ seq: 3, problem: expect.stringMatching(/removed/) }),
    );
  });

  it('detects a re-hashed entry because the next one no longer points at it', () => {
    const entries = chain(4);
    const forged = { ...entries[1], subjectId: 'other' };
    entries[1] = { ...forged, hash: hashEntry(forged) };
    expect(findChainBreak(entries)).toEqual(expect.objectContaining({ seq: 3 }));
  });

  it('hashes details independently of key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });
});
