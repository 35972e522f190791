import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PROJECT_ROOT = join(__dirname, '../..');
const MAIN = join(PROJECT_ROOT, 'dist/src/main.js');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The built app, started as production starts it: its own process, its own log, real HTTP. */
export interface ProductionApp {
  /** `http://127.0.0.1:<port>`, also the app's APP_URL, so emailed links lead here. */
  base: string;
  /** The environment it runs with (scripts such as admin:create need the same). */
  env: NodeJS.ProcessEnv;
  /** What it has printed so far. */
  output(): string;
  /**
   * Runs a built script (`dist/scripts/<name>.js`) with the app's environment. Asynchronous, so the test
   * keeps reading its sockets meanwhile: a synchronous run left keep-alive connections the app had
   * closed looking open, and the next fetch failed on a busy machine.
   */
  runScript(
    name: string,
    args: string[],
    extraEnv?: NodeJS.ProcessEnv,
  ): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** The process id of `node dist/src/main.js` (with WEB_WORKERS > 1, the primary's). */
  pid: number;
  /** Sends the process a signal (`stop` sends SIGTERM and waits). */
  kill(signal: NodeJS.Signals): void;
  /** Resolves with the exit code (null when a signal ended it) once the process has exited. */
  exited(): Promise<number | null>;
  stop(): Promise<void>;
}

/** Builds dist/ once if a fresh clone has none (as `npm run build` would, without emptying it first). */
export function ensureBuilt(scripts: string[] = []): void {
  const needed = [MAIN, ...scripts.map((name) => join(PROJECT_ROOT, 'dist/scripts', `${name}.js`))];
  if (needed.every((file) => existsSync(file))) return;
  const build = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`Could not build the app:\n${build.stdout}${build.stderr}`);
}

/**
 * Starts `node dist/src/main.js` with NODE_ENV=production on `databaseUrl` (the demo off, production's
 * own password cost, REQUIRE_2FA at its production default unless `extraEnv` says otherwise) and
 * resolves once the app has logged `readyWhen`.
 */
export async function startProductionApp(options: {
  databaseUrl: string;
  smtpUrl: string;
  readyWhen: RegExp;
  extraEnv?: NodeJS.ProcessEnv;
  /** A port of the caller's choosing (else a free one). */
  port?: number;
}): Promise<ProductionApp> {
  ensureBuilt();
  const port = options.port ?? (await freePort());
  const base = `http://127.0.0.1:${port}`;
  const checkpointFile = join(tmpdir(), 'sg-tests', `checkpoints-production-${port}-${process.pid}.jsonl`);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    PORT: String(port),
    DATABASE_URL: options.databaseUrl,
    JWT_SECRET: 'production-app-test-jwt-secret-0123456789abcdef',
    SIGN_IN_DEVICE_SECRET: 'production-app-test-device-secret-0123456789ab',
    AUDIT_KEY: 'production-app-test-audit-key-0123456789abcdef',
    AUDIT_CHECKPOINT_FILE: checkpointFile,
    APP_URL: base,
    SMTP_URL: options.smtpUrl,
    MAIL_FROM: 'Safeguarding <safeguarding@test.example>',
    // Plain HTTP on loopback: the __Host- cookies of a secure deployment would not come back.
    COOKIE_SECURE: 'false',
    ...options.extraEnv,
  };
  let printed = '';
  const child: ChildProcess = spawn(process.execPath, [MAIN], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (options.readyWhen.test(printed)) {
        clearInterval(check);
        resolve();
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(check);
      reject(new Error(`The app stopped (${code}):\n${printed}`));
    });
  });
  return {
    base,
    env,
    output: () => printed,
    runScript(name, args, extraEnv = {}) {
      ensureBuilt([name]);
      const script = spawn(process.execPath, [join(PROJECT_ROOT, 'dist/scripts', `${name}.js`), ...args], {
        cwd: PROJECT_ROOT,
        env: { ...env, ...extraEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      script.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      script.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      return new Promise((resolve, reject) => {
        script.once('error', reject);
        script.once('close', (code) => resolve({ code, stdout, stderr }));
      });
    },
    pid: child.pid!,
    kill: (signal) => child.kill(signal),
    exited: () => exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const stopped = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await stopped;
      }
      rmSync(checkpointFile, { force: true });
    },
  };
}
