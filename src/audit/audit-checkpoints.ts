import { constants } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DatabaseTarget } from '../config/database-url';

/**
 * A checkpoint of the audit chain's head, kept outside the database (docs/security.md, Audit log
 * integrity): one JSON object per line of an append-only file. `database` names the chain (several
 * databases may share a file: development, tests), never with credentials.
 */
export interface AuditCheckpoint {
  type: 'audit_checkpoint';
  database: string;
  seq: number;
  /** The HMAC of entry `seq`. */
  hash: string;
  /** When the head was read (ISO 8601). */
  at: string;
}

/** A line of the file that is not a checkpoint (1-based line number). */
export interface UnreadableLine {
  line: number;
  text: string;
}

/** How checkpoints name a database: the SQLite file's absolute path, or PostgreSQL's host, port and database. */
export function checkpointDatabaseName(target: DatabaseTarget): string {
  if (target.kind === 'sqlite') return `sqlite:${target.path}`;
  const url = new URL(target.url);
  return `postgres://${url.hostname}:${url.port || '5432'}/${target.database}`;
}

/** One checkpoint as one line (newline included), so one write appends it whole. */
export function formatCheckpoint(checkpoint: Omit<AuditCheckpoint, 'type'>): string {
  const { database, seq, hash, at } = checkpoint;
  return `${JSON.stringify({ type: 'audit_checkpoint', database, seq, hash, at })}\n`;
}

function isCheckpoint(value: unknown): value is AuditCheckpoint {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.type === 'audit_checkpoint' &&
    typeof v.database === 'string' &&
    Number.isSafeInteger(v.seq) &&
    (v.seq as number) >= 0 &&
    typeof v.hash === 'string' &&
    /^[0-9a-f]{64}$/.test(v.hash) &&
    typeof v.at === 'string' &&
    !Number.isNaN(Date.parse(v.at))
  );
}

/**
 * The checkpoints for `database` in the file's text, in file order, and the lines that are not
 * checkpoints at all (blank lines are skipped). Another database's checkpoints are left out.
 */
export function parseCheckpoints(
  text: string,
  database: string,
): { checkpoints: AuditCheckpoint[]; unreadable: UnreadableLine[] } {
  const checkpoints: AuditCheckpoint[] = [];
  const unreadable: UnreadableLine[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (!isCheckpoint(value)) unreadable.push({ line: index + 1, text: line.slice(0, 120) });
    else if (value.database === database) checkpoints.push(value);
  });
  return { checkpoints, unreadable };
}

/** The file's checkpoints for `database`; a missing file has none. */
export async function readCheckpoints(
  file: string,
  database: string,
): Promise<{ exists: boolean; checkpoints: AuditCheckpoint[]; unreadable: UnreadableLine[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false, checkpoints: [], unreadable: [] };
    throw error;
  }
  return { exists: true, ...parseCheckpoints(text, database) };
}

/**
 * Appends one checkpoint: the file opened with O_APPEND and the line written in one write, so several
 * instances (or the LA generator) appending to the same file never interleave or overwrite each other.
 */
export async function appendCheckpoint(file: string, checkpoint: Omit<AuditCheckpoint, 'type'>): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const handle = await open(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o640);
  try {
    const line = Buffer.from(formatCheckpoint(checkpoint), 'utf8');
    const { bytesWritten } = await handle.write(line);
    if (bytesWritten !== line.length)
      throw new Error(`Only ${bytesWritten} of ${line.length} bytes of a checkpoint written`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
