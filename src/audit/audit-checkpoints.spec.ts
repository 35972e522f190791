import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appendCheckpoint,
  checkpointDatabaseName,
  formatCheckpoint,
  parseCheckpoints,
  readCheckpoints,
} from './audit-checkpoints';

const HASH = 'a'.repeat(64);
const DB = 'postgres://127.0.0.1:5432/sg';

describe('audit checkpoints', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'checkpoints-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one JSON line per checkpoint and reads it back', () => {
    const line = formatCheckpoint({ database: DB, seq: 7, hash: HASH, at: '2026-12-01T09:00:00.000Z' });
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(parseCheckpoints(line, DB)).toEqual({
      checkpoints: [{ type: 'audit_checkpoint', database: DB, seq: 7, hash: HASH, at: '2026-12-01T09:00:00.000Z' }],
      unreadable: [],
    });
  });

  it("keeps only this database's checkpoints and names the lines that are not checkpoints", () => {
    const text = [
      formatCheckpoint({ database: DB, seq: 1, hash: HASH, at: '2026-12-01T09:00:00.000Z' }),
      formatCheckpoint({ database: 'sqlite:/elsewhere.sqlite', seq: 9, hash: HASH, at: '2026-12-01T09:00:00.000Z' }),
      '\n',
      'not json\n',
      JSON.stringify({ type: 'audit_checkpoint', database: DB, seq: 'ten', hash: HASH, at: 'x' }) + '\n',
      formatCheckpoint({ database: DB, seq: 2, hash: 'b'.repeat(64), at: '2026-12-01T09:01:00.000Z' }),
    ].join('');
    const { checkpoints, unreadable } = parseCheckpoints(text, DB);
    expect(checkpoints.map((checkpoint) => checkpoint.seq)).toEqual([1, 2]);
    expect(unreadable.map((line) => line.line)).toEqual([4, 5]);
  });

  it('appends to the file, creating it and its folder, never overwriting what is there', async () => {
    const file = join(dir, 'nested', 'checkpoints.jsonl');
    await appendCheckpoint(file, { database: DB, seq: 1, hash: HASH, at: '2026-12-01T09:00:00.000Z' });
    await Promise.all(
      [2, 3, 4].map((seq) => appendCheckpoint(file, { database: DB, seq, hash: HASH, at: '2026-12-01T09:01:00.000Z' })),
    );
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(4);
    const { exists, checkpoints, unreadable } = await readCheckpoints(file, DB);
    expect(exists).toBe(true);
    expect(checkpoints.map((checkpoint) => checkpoint.seq).sort()).toEqual([1, 2, 3, 4]);
    expect(unreadable).toEqual([]);
  });

  it('reads a missing file as no checkpoints, and says it is missing', async () => {
    expect(await readCheckpoints(join(dir, 'none.jsonl'), DB)).toEqual({
      exists: false,
      checkpoints: [],
      unreadable: [],
    });
  });

  it('names a database without its credentials', () => {
    expect(
      checkpointDatabaseName({ kind: 'postgres', url: 'postgres://app:secret@db.example:6432/sg', database: 'sg' }),
    ).toBe('postgres://db.example:6432/sg');
    expect(checkpointDatabaseName({ kind: 'sqlite', path: '/srv/data/sg.sqlite' })).toBe('sqlite:/srv/data/sg.sqlite');
  });

  it('keeps a line someone appended by hand out of the checkpoints', () => {
    const file = join(dir, 'c.jsonl');
    writeFileSync(
      file,
      `${formatCheckpoint({ database: DB, seq: 1, hash: HASH, at: '2026-12-01T09:00:00.000Z' })}{"seq":5}\n`,
    );
    return expect(readCheckpoints(file, DB)).resolves.toEqual(
      expect.objectContaining({ unreadable: [{ line: 2, text: '{"seq":5}' }] }),
    );
  });
});
