/**
 * The app under test as a child process (`node dist/src/main.js`), so that cold start and memory are
 * the real ones, plus a bare Node http server started the same way for comparison.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';

export const PROJECT_ROOT = join(__dirname, '..', '..', '..');
export const BARE_PATH = '/health/live';
/**
 * The audit key the benchmarked app signs the chain with, and the check after the creations uses:
 * AUDIT_KEY when set (give la:generate the same one, so the generated chain verifies too), else a
 * benchmark-only key (the generated entries then verify only if la:generate was given it as well).
 */
export const BENCH_AUDIT_KEY = process.env.AUDIT_KEY ?? 'benchmark-only-audit-key-0123456789abcdef';

export interface ServerOptions {
  databaseUrl: string;
  seedDemo: boolean;
  demoPassword: string;
  /** WEB_WORKERS: the app's worker processes (1: the app serves in its own process). */
  workers: number;
  /** The port to listen on (else a free one). */
  port?: number;
}

export interface RunningServer {
  pid: number;
  port: number;
  /** Milliseconds from spawning the process to the first 200 from `/health/live` (with workers, the first worker's). */
  coldStartMs: number;
  /** The process's memory, with its workers' (WEB_WORKERS > 1) added. */
  memory(): { rssMb: number; peakRssMb: number } | null;
  /** The last lines the process printed, for a failure message. */
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The environment the benchmarked app runs with: production mode, as deployed (Express caches compiled
 * templates only when NODE_ENV=production); a random JWT secret unless one is given (the floor bench
 * signs its own tokens with it).
 */
export function appEnvironment(
  options: Omit<ServerOptions, 'port'>,
  port: number,
  jwtSecret = randomBytes(32).toString('hex'),
): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    PORT: String(port),
    DATABASE_URL: options.databaseUrl,
    SEED_DEMO: String(options.seedDemo),
    DEMO_PASSWORD: options.demoPassword,
    JWT_SECRET: jwtSecret,
    AUDIT_KEY: BENCH_AUDIT_KEY,
    AUDIT_CHECKPOINT_FILE: join(tmpdir(), `bench-audit-checkpoints-${port}.jsonl`),
    SIGN_IN_DEVICE_SECRET: randomBytes(32).toString('hex'),
    // Plain HTTP on loopback: the __Host- cookies a secure deployment uses would not be sent back.
    COOKIE_SECURE: 'false',
    // Production requires two-factor of every role but staff: the bench's sessions would get only
    // /api/me (every page a 303 to /account/two-factor, every other API route 403). Measured without it.
    REQUIRE_2FA: 'false',
    // Nothing is emailed in a benchmark; production needs an SMTP server named, so name one that is never reached.
    APP_URL: `http://127.0.0.1:${port}`,
    SMTP_URL: 'smtp://127.0.0.1:9',
    WEB_WORKERS: String(options.workers),
  };
}

/** Starts the built app (appEnvironment) on a free port and waits for its bare route. */
export async function startApp(options: ServerOptions, timeoutMs = 600_000): Promise<RunningServer> {
  const port = options.port ?? (await freePort());
  // With workers, measuring starts once every one is serving, not when the first answers.
  return startProcess(
    [join(PROJECT_ROOT, 'dist', 'src', 'main.js')],
    appEnvironment(options, port),
    port,
    timeoutMs,
    options.workers,
  );
}

/** A Node http server answering `{"status":"ok"}` to everything: the floor for cold start. */
export async function startBareNode(port?: number): Promise<RunningServer> {
  port ??= await freePort();
  const source =
    "require('node:http').createServer((q, s) => { s.setHeader('content-type', 'application/json'); " +
    's.end(\'{"status":"ok"}\'); }).listen(Number(process.env.PORT), \'127.0.0.1\');';
  return startProcess(['-e', source], { PATH: process.env.PATH, PORT: String(port) }, port, 30_000);
}

/**
 * Spawns `node <args>` with `env` and waits for its bare route on `port` (and, with workers, for each
 * worker's "Serving on" line).
 */
export async function startProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  port: number,
  timeoutMs: number,
  workers = 1,
): Promise<RunningServer> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let printed = '';
  /** "Serving on" lines seen (one per worker), counted line by line: `printed` keeps only the end. */
  let serving = 0;
  let partialLine = '';
  const keep = (chunk: Buffer) => {
    printed = (printed + chunk.toString()).slice(-8000);
    const lines = (partialLine + chunk.toString()).split('\n');
    partialLine = lines.pop()!;
    serving += lines.filter((line) => line.includes('Serving on')).length;
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== undefined) throw new Error(`The server exited (${exited}) before answering:\n${printed}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The server did not answer ${BARE_PATH} within ${timeoutMs / 1000} s:\n${printed}`);
    }
    if ((await statusOf(port, BARE_PATH)) === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const coldStartMs = Number(process.hrtime.bigint() - started) / 1e6;
  while (workers > 1 && serving < workers) {
    // (Set by the exit listener meanwhile, which TypeScript cannot see.)
    const code = exited as number | null | undefined;
    if (code !== undefined) throw new Error(`The server exited (${code}) before its workers served:\n${printed}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Only ${serving} of ${workers} workers served within ${timeoutMs / 1000} s:\n${printed}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    pid: child.pid!,
    port,
    coldStartMs,
    memory: () => memoryOf(child.pid!),
    output: () => printed,
    stop: () => stop(child, () => exited !== undefined),
  };
}

function statusOf(port: number, path: string): Promise<number | null> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? null));
    });
    request.on('error', () => resolve(null));
    request.setTimeout(2000, () => request.destroy());
  });
}

/**
 * Resident and peak resident memory (MB) of a process and its children (a cluster's workers), from
 * /proc (Linux); null elsewhere.
 */
function memoryOf(pid: number): { rssMb: number; peakRssMb: number } | null {
  try {
    let children: number[] = [];
    try {
      children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number);
    } catch {
      // Not every kernel lists children: the process alone, then.
    }
    let rssMb = 0;
    let peakRssMb = 0;
    for (const each of [pid, ...children]) {
      const status = readFileSync(`/proc/${each}/status`, 'utf8');
      const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
      rssMb += kb('VmRSS') / 1024;
      peakRssMb += kb('VmHWM') / 1024;
    }
    return { rssMb, peakRssMb };
  } catch {
    return null;
  }
}

async function stop(child: ChildProcess, hasExited: () => boolean): Promise<void> {
  if (hasExited()) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await gone;
  clearTimeout(timer);
}
