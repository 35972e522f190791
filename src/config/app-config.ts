import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
  validateSync,
} from 'class-validator';
import { parseCalendarDate } from '../common/calendar-date';
import { parseDatabaseUrl, DatabaseTarget } from './database-url';

const toBoolean = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : value === true || value === 'true' || value === '1';
/** Like toBoolean, but anything other than true/false/1/0 is kept as it came, so validation can name it. */
const toStrictBoolean = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  if (value === true || value === 'true' || value === '1') return true;
  if (value === false || value === 'false' || value === '0') return false;
  return value;
};
const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/**
 * log2 of scrypt's N for password hashes: 2^15, with r=8 and p=3 (see auth/password-hasher.ts), is what
 * OWASP recommends. Only tests may go lower; 2^16 is the most the hasher's memory limit allows.
 */
export const STANDARD_PASSWORD_HASH_COST = 15;
const MAX_PASSWORD_HASH_COST = 16;

/** pino's levels, most severe first, and `silent` (nothing). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** The environment variables the app reads, exactly as they arrive (strings), validated at boot. */
class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  @Matches(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, {
    message: 'DATABASE_URL must be sqlite:<path>, sqlite::memory: or postgres://user@host:port/db',
  })
  DATABASE_URL = 'sqlite:data/safeguarding.sqlite';

  /** Required in production: without it anyone could mint sessions. Never defaulted there. */
  @ValidateIf((env: Environment) => env.NODE_ENV === 'production' || env.JWT_SECRET !== undefined)
  @IsString({ message: 'JWT_SECRET is required when NODE_ENV=production' })
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(7 * 24 * 3600)
  SESSION_TTL_SECONDS = 8 * 3600;

  /**
   * Signs the device cookies that let a known device sign in while its account is being attacked from
   * elsewhere (docs/security.md, Sign-in throttling). Required in production, never defaulted there:
   * whoever knows it could make any device look known to any account.
   */
  @ValidateIf((env: Environment) => env.NODE_ENV === 'production' || env.SIGN_IN_DEVICE_SECRET !== undefined)
  @IsString({ message: 'SIGN_IN_DEVICE_SECRET is required when NODE_ENV=production' })
  @MinLength(32, { message: 'SIGN_IN_DEVICE_SECRET must be at least 32 characters' })
  SIGN_IN_DEVICE_SECRET?: string;

  /** How long a device stays known after its last successful sign-in (the device cookie's life). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(730)
  SIGN_IN_DEVICE_DAYS = 180;

  /** The window every sign-in limit counts failures in, and so the longest a limit lasts. */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(24 * 3600)
  SIGN_IN_WINDOW_SECONDS = 15 * 60;

  /** Wrong passwords from one known device (its device cookie) before that device is refused. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  SIGN_IN_MAX_FAILURES_PER_DEVICE = 5;

  /** Wrong passwords for one account from one address, by devices not known to it. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  SIGN_IN_MAX_FAILURES_PER_ACCOUNT_ADDRESS = 5;

  /** Wrong passwords for one account from every address together, by devices not known to it. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  SIGN_IN_MAX_FAILURES_PER_ACCOUNT = 20;

  /** Failed sign-ins from one address, for any account, by devices not known to the account tried. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  SIGN_IN_MAX_FAILURES_PER_ADDRESS = 100;

  @Transform(toBoolean)
  @IsOptional()
  @IsBoolean()
  SEED_DEMO?: boolean;

  /** Demo accounts are a development convenience; a production seed must name its own password. */
  @ValidateIf((env: Environment) => env.NODE_ENV === 'production' && env.SEED_DEMO === true)
  @IsString({ message: 'DEMO_PASSWORD is required when SEED_DEMO=true in production' })
  @MinLength(12, { message: 'DEMO_PASSWORD must be at least 12 characters in production' })
  DEMO_PASSWORD?: string;

  @Transform(toBoolean)
  @IsOptional()
  @IsBoolean()
  COOKIE_SECURE?: boolean;

  @Transform(toBoolean)
  @IsOptional()
  @IsBoolean()
  TRUST_PROXY?: boolean;

  /**
   * On SIGTERM or SIGINT, how long (seconds) requests in flight may take to finish before their
   * connections are closed and the app stops anyway (health/graceful-shutdown.ts).
   */
  @Transform(toInt)
  @IsInt({ message: 'SHUTDOWN_GRACE_SECONDS must be a whole number of seconds' })
  @Min(1, { message: 'SHUTDOWN_GRACE_SECONDS must be at least 1' })
  @Max(600, { message: 'SHUTDOWN_GRACE_SECONDS must be at most 600 (ten minutes)' })
  SHUTDOWN_GRACE_SECONDS = 10;

  /**
   * How many Node processes serve requests (main.ts, web-workers.ts). 1: this process. More: this
   * process applies the migrations, then forks that many workers sharing PORT (node:cluster) and keeps
   * them running. PostgreSQL only (checked in loadConfig).
   */
  @Transform(toInt)
  @IsInt({ message: 'WEB_WORKERS must be a whole number of processes, from 1 to 32' })
  @Min(1, { message: 'WEB_WORKERS must be at least 1' })
  @Max(32, { message: 'WEB_WORKERS must be at most 32' })
  WEB_WORKERS = 1;

  /**
   * scrypt's cost for new password hashes, as log2(N). Tests lower it (NODE_ENV=test only, checked in
   * loadConfig) so that hashing the demo password and signing in stay cheap on a slow machine.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(MAX_PASSWORD_HASH_COST)
  PASSWORD_HASH_COST = STANDARD_PASSWORD_HASH_COST;

  /** Comma-separated YYYY-MM-DD dates; each entry is checked in loadConfig so a bad one can be named. */
  @IsOptional()
  @IsString()
  BANK_HOLIDAYS?: string;

  /**
   * The audit chain's HMAC key (docs/security.md, Audit log integrity). Required in production, where
   * the development key is refused (checked in loadConfig): whoever holds it can re-sign the chain.
   */
  @ValidateIf((env: Environment) => env.NODE_ENV === 'production' || env.AUDIT_KEY !== undefined)
  @IsString({ message: 'AUDIT_KEY is required when NODE_ENV=production' })
  @MinLength(32, { message: 'AUDIT_KEY must be at least 32 characters' })
  AUDIT_KEY?: string;

  /** The append-only file of audit chain checkpoints. Required in production: where it lives is an operations decision. */
  @ValidateIf((env: Environment) => env.NODE_ENV === 'production' || env.AUDIT_CHECKPOINT_FILE !== undefined)
  @IsString({ message: 'AUDIT_CHECKPOINT_FILE is required when NODE_ENV=production' })
  AUDIT_CHECKPOINT_FILE?: string;

  /** The base of every link in an email (default http://localhost:<PORT>). Required in production: links must reach the real site. */
  @ValidateIf((env: Environment) => env.NODE_ENV === 'production' || env.APP_URL !== undefined)
  @IsString({ message: 'APP_URL is required when NODE_ENV=production' })
  @Matches(/^https?:\/\/[^/\s?#]+(\/[^\s?#]*)?$/, {
    message: 'APP_URL must be an http(s) address such as https://safeguarding.cardiff.gov.uk',
  })
  APP_URL?: string;

  /** smtp://user:pass@host:port or smtps://…; required in production (else emails go to OUTBOX_DIR). */
  @ValidateIf((env: Environment) => env.NODE_ENV === 'production' || env.SMTP_URL !== undefined)
  @IsString({ message: 'SMTP_URL is required when NODE_ENV=production' })
  @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL must be smtp://user:pass@host:port or smtps://…' })
  SMTP_URL?: string;

  /** The From address of every email. */
  @IsString()
  @Matches(/^(.+ <)?[^\s@<>]+@[^\s@<>]+>?$/, {
    message: 'MAIL_FROM must be an email address, optionally "Name <address>"',
  })
  MAIL_FROM = 'Safeguarding <no-reply@safeguarding.invalid>';

  /** Where emails are written as .eml files when there is no SMTP_URL (outside production only). */
  @IsOptional()
  @IsString()
  OUTBOX_DIR?: string;
  /**
   * Two-factor sign-in required of every account with a role other than `staff` (API.md, Two-factor
   * sign-in). Unset: on in production, off elsewhere.
   */
  @Transform(toStrictBoolean)
  @IsOptional()
  @IsBoolean({ message: 'REQUIRE_2FA must be true or false' })
  REQUIRE_2FA?: boolean;

  /**
   * Encrypts the authenticator secrets at rest (AES-256-GCM under a key derived from it). Optional:
   * unset, the key is derived from AUDIT_KEY (another derivation label), which production requires.
   */
  @ValidateIf((env: Environment) => env.TWO_FACTOR_KEY !== undefined)
  @IsString()
  @MinLength(32, { message: 'TWO_FACTOR_KEY must be at least 32 characters' })
  TWO_FACTOR_KEY?: string;

  /**
   * How often (seconds) this instance runs the reminder sweep (src/reminders: time-based notifications
   * and the notification emails' outbox); 0 turns it off. Unset: every 60 seconds, except in tests
   * (NODE_ENV=test), which call the sweep themselves with a moved clock.
   */
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'REMINDER_SWEEP_SECONDS must be a whole number of seconds (0 turns the sweep off)' })
  @Min(0, { message: 'REMINDER_SWEEP_SECONDS must be a whole number of seconds (0 turns the sweep off)' })
  @Max(3600, { message: 'REMINDER_SWEEP_SECONDS must be at most 3600 (an hour)' })
  REMINDER_SWEEP_SECONDS?: number;

  /** The least severe log level written (src/logging). Unset: info, except in tests (warn). */
  @IsOptional()
  @IsIn([...LOG_LEVELS], { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL?: LogLevel;

  /** json: one JSON object per line (for log shippers); pretty: readable text. Unset: pretty in development, else json. */
  @IsOptional()
  @IsIn([...LOG_FORMATS], { message: `LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')}` })
  LOG_FORMAT?: LogFormat;
}

/**
 * The audit key outside production: fixed (the chain must verify across restarts) and named for what it
 * is, so a chain signed with it proves nothing. Production refuses it.
 */
export const DEVELOPMENT_AUDIT_KEY = 'development-only-audit-key--never-use-in-production';
/** Where checkpoints go in development unless AUDIT_CHECKPOINT_FILE says otherwise (beside the default SQLite file). */
export const DEVELOPMENT_CHECKPOINT_FILE = 'data/audit-checkpoints.jsonl';
/** And in tests: outside the working tree (each line names its database, so test databases can share it). */
export const TEST_CHECKPOINT_FILE = join(tmpdir(), 'safeguarding-test-audit-checkpoints.jsonl');

/**
 * BANK_HOLIDAYS as sorted, de-duplicated YYYY-MM-DD dates, or the problems with it. Unset means none
 * configured (the calendar then uses its built-in England & Wales list); blank entries (a trailing
 * comma) are ignored, but a list with no dates at all is refused rather than silently counting every
 * weekday as a working day.
 */
function parseBankHolidays(value: string | undefined): { bankHolidays?: string[]; problems: string[] } {
  if (value === undefined) return { problems: [] };
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const problems = entries
    .filter((entry) => parseCalendarDate(entry) === undefined)
    .map((entry) => `BANK_HOLIDAYS: "${entry}" is not a real date in YYYY-MM-DD form`);
  if (entries.length === 0) problems.push('BANK_HOLIDAYS lists no dates; leave it unset to use the built-in list');
  return { bankHolidays: [...new Set(entries)].sort(), problems };
}

export interface SignInConfig {
  /** HMAC key for device cookies (a random one per process outside production). */
  deviceSecret: string;
  deviceCookieDays: number;
  /** Failures are counted over this window; a limit lasts until its oldest counted failure leaves it. */
  lockoutWindowSeconds: number;
  maxFailuresPerDevice: number;
  maxFailuresPerAccountAddress: number;
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
}

export interface AppConfig {
  environment: 'development' | 'production' | 'test';
  port: number;
  database: DatabaseTarget;
  auth: {
    jwtSecret: string;
    sessionTtlSeconds: number;
    cookieSecure: boolean;
    /** log2 of scrypt's N for new password hashes (STANDARD_PASSWORD_HASH_COST outside tests). */
    passwordHashCost: number;
    /** Sign-in throttling (auth/sign-in-limits.ts; docs/security.md, Sign-in throttling). */
    signIn: SignInConfig;
    /** Two-factor sign-in (auth/two-factor; docs/accounts.md). */
    twoFactor: {
      /** REQUIRE_2FA: accounts with any role but `staff` must set it up before doing anything else. */
      required: boolean;
      /** The key material the secrets' encryption key is derived from (TWO_FACTOR_KEY, else AUDIT_KEY). */
      keyMaterial: string;
    };
  };
  seed: { demo: boolean; demoPassword: string };
  /**
   * shutdownGraceSeconds: SHUTDOWN_GRACE_SECONDS, the bound on finishing requests at shutdown; workers:
   * WEB_WORKERS, the Node processes serving requests (1: this one).
   */
  http: { trustProxy: boolean; shutdownGraceSeconds: number; workers: number };
  /**
   * Dates (YYYY-MM-DD, London) that are not working days for the timescales, besides weekends; unset
   * (no BANK_HOLIDAYS) means the calendar's built-in England & Wales list.
   */
  calendar: { bankHolidays?: string[] };
  audit: {
    /** The HMAC-SHA256 key of the audit chain (DEVELOPMENT_AUDIT_KEY outside production unless set). */
    key: string;
    /** Absolute path of the append-only checkpoint file. */
    checkpointFile: string;
  };
  mail: MailConfig;
  /** The reminder sweep (src/reminders): its period in seconds, 0 when this instance does not run it. */
  reminders: { sweepSeconds: number };
  /**
   * The app's log (src/logging): LOG_LEVEL and LOG_FORMAT, and in a worker process (WEB_WORKERS > 1) its
   * cluster id, which main.ts sets (not the environment) so that every line says which worker wrote it.
   */
  logging: { level: LogLevel; format: LogFormat; worker?: number };
}

/** Email (src/mail): SMTP when configured, else .eml files in an outbox folder (never in production). */
export interface MailConfig {
  /** Base of links in emails, without a trailing slash. */
  appUrl: string;
  from: string;
  transport: { kind: 'smtp'; url: string } | { kind: 'outbox'; directory: string };
}

/** Test runs write emails outside the working tree unless a test starts its own SMTP server. */
export const TEST_OUTBOX_DIR = join(tmpdir(), 'safeguarding-test-outbox');

/**
 * Why several processes are refused on SQLite: its writers are serialised by a queue inside one process
 * (database/unit-of-work.ts), which is also why `UnitOfWork.lock` takes no lock there. Two processes'
 * transactions on one file would interleave: a write would fail with SQLITE_BUSY, or a check that relies
 * on one writer at a time (sign-in limits, one decision per concern) would no longer hold.
 */
export const WEB_WORKERS_NEED_POSTGRES =
  'WEB_WORKERS above 1 needs PostgreSQL: on SQLite writes are serialised by a queue inside one process, so ' +
  'several processes writing one file would fail with SQLITE_BUSY or break checks that rely on one writer at ' +
  'a time. Use DATABASE_URL=postgres://… for several processes, or WEB_WORKERS=1 on SQLite';

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/**
 * `loadConfig` for a process's entry point (the app, the scripts): an invalid environment prints what
 * is wrong and gives null, so the caller exits with its own "refused" code instead of a stack trace.
 */
export function loadConfigOrExplain(env: NodeJS.ProcessEnv = process.env): AppConfig | null {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    console.error(error.message);
    return null;
  }
}

/** Reads and validates the environment once; the only place in the app that looks at process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new Environment());
  const raw: Record<string, string | undefined> = {};
  for (const key of [
    ...known,
    'JWT_SECRET',
    'SIGN_IN_DEVICE_SECRET',
    'SEED_DEMO',
    'DEMO_PASSWORD',
    'COOKIE_SECURE',
    'TRUST_PROXY',
    'BANK_HOLIDAYS',
    'AUDIT_KEY',
    'AUDIT_CHECKPOINT_FILE',
    'APP_URL',
    'SMTP_URL',
    'OUTBOX_DIR',
    'REQUIRE_2FA',
    'TWO_FACTOR_KEY',
    'REMINDER_SWEEP_SECONDS',
    'LOG_LEVEL',
    'LOG_FORMAT',
  ]) {
    if (env[key] !== undefined && env[key] !== '') raw[key] = env[key];
  }
  const parsed = plainToInstance(Environment, raw, { exposeDefaultValues: true });
  const errors = validateSync(parsed, { forbidUnknownValues: false });
  const problems = errors.flatMap((error) => Object.values(error.constraints ?? {}));
  const calendar = parseBankHolidays(parsed.BANK_HOLIDAYS);
  problems.push(...calendar.problems);
  if (parsed.PASSWORD_HASH_COST < STANDARD_PASSWORD_HASH_COST && parsed.NODE_ENV !== 'test')
    problems.push(
      `PASSWORD_HASH_COST below ${STANDARD_PASSWORD_HASH_COST} is for tests only (NODE_ENV=test), not ${parsed.NODE_ENV}`,
    );
  if (parsed.NODE_ENV === 'production' && parsed.AUDIT_KEY === DEVELOPMENT_AUDIT_KEY)
    problems.push('AUDIT_KEY is the development key, which production refuses: generate one (openssl rand -hex 32)');
  // Otherwise the per-address-and-account limit could never be reached before the account-wide one.
  if (parsed.SIGN_IN_MAX_FAILURES_PER_ACCOUNT < parsed.SIGN_IN_MAX_FAILURES_PER_ACCOUNT_ADDRESS)
    problems.push('SIGN_IN_MAX_FAILURES_PER_ACCOUNT must not be below SIGN_IN_MAX_FAILURES_PER_ACCOUNT_ADDRESS');
  let database: DatabaseTarget | undefined;
  if (problems.length === 0) {
    try {
      database = parseDatabaseUrl(parsed.DATABASE_URL);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (database?.kind === 'sqlite' && parsed.WEB_WORKERS > 1) problems.push(WEB_WORKERS_NEED_POSTGRES);
  if (problems.length > 0 || !database) throw new ConfigurationError(problems);

  const production = parsed.NODE_ENV === 'production';
  return {
    environment: parsed.NODE_ENV,
    port: parsed.PORT,
    database,
    auth: {
      // Outside production a per-process random secret: sessions end on restart, nothing guessable.
      jwtSecret: parsed.JWT_SECRET ?? randomBytes(32).toString('hex'),
      sessionTtlSeconds: parsed.SESSION_TTL_SECONDS,
      cookieSecure: parsed.COOKIE_SECURE ?? production,
      signIn: {
        // Outside production a per-process random key: devices are forgotten on restart, nothing guessable.
        deviceSecret: parsed.SIGN_IN_DEVICE_SECRET ?? randomBytes(32).toString('hex'),
        deviceCookieDays: parsed.SIGN_IN_DEVICE_DAYS,
        lockoutWindowSeconds: parsed.SIGN_IN_WINDOW_SECONDS,
        maxFailuresPerDevice: parsed.SIGN_IN_MAX_FAILURES_PER_DEVICE,
        maxFailuresPerAccountAddress: parsed.SIGN_IN_MAX_FAILURES_PER_ACCOUNT_ADDRESS,
        maxFailuresPerAccount: parsed.SIGN_IN_MAX_FAILURES_PER_ACCOUNT,
        maxFailuresPerAddress: parsed.SIGN_IN_MAX_FAILURES_PER_ADDRESS,
      },
      passwordHashCost: parsed.PASSWORD_HASH_COST,
      twoFactor: {
        required: parsed.REQUIRE_2FA ?? production,
        keyMaterial: parsed.TWO_FACTOR_KEY ?? parsed.AUDIT_KEY ?? DEVELOPMENT_AUDIT_KEY,
      },
    },
    seed: {
      demo: parsed.SEED_DEMO ?? !production,
      demoPassword: parsed.DEMO_PASSWORD ?? 'demo-password',
    },
    http: {
      trustProxy: parsed.TRUST_PROXY ?? false,
      shutdownGraceSeconds: parsed.SHUTDOWN_GRACE_SECONDS,
      workers: parsed.WEB_WORKERS,
    },
    calendar: { bankHolidays: calendar.bankHolidays },
    audit: {
      key: parsed.AUDIT_KEY ?? DEVELOPMENT_AUDIT_KEY,
      checkpointFile: resolve(
        process.cwd(),
        parsed.AUDIT_CHECKPOINT_FILE ??
          (parsed.NODE_ENV === 'test' ? TEST_CHECKPOINT_FILE : DEVELOPMENT_CHECKPOINT_FILE),
      ),
    },
    mail: {
      appUrl: (parsed.APP_URL ?? `http://localhost:${parsed.PORT}`).replace(/\/+$/, ''),
      from: parsed.MAIL_FROM,
      transport: parsed.SMTP_URL
        ? { kind: 'smtp', url: parsed.SMTP_URL }
        : {
            kind: 'outbox',
            directory: resolve(
              process.cwd(),
              parsed.OUTBOX_DIR ?? (parsed.NODE_ENV === 'test' ? TEST_OUTBOX_DIR : 'data/outbox'),
            ),
          },
    },
    reminders: { sweepSeconds: parsed.REMINDER_SWEEP_SECONDS ?? (parsed.NODE_ENV === 'test' ? 0 : 60) },
    logging: {
      level: parsed.LOG_LEVEL ?? (parsed.NODE_ENV === 'test' ? 'warn' : 'info'),
      format: parsed.LOG_FORMAT ?? (parsed.NODE_ENV === 'development' ? 'pretty' : 'json'),
    },
  };
}
