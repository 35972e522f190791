/**
 * `npm run la:generate -- --database <DATABASE_URL> [--scale 1] [--now <ISO instant>] [--seed <n>]`
 *
 * Builds a local authority's worth of data on an EMPTY database (it refuses one that already has
 * organisations): first the app's own demo seed (so the demo accounts of API.md work), then, at scale
 * 1, 130 schools and PRUs, 60,000 pupils with valid UPNs, enrolments and households, a million concerns
 * over three years with a long tail (most pupils none, some 20-200, a few 500+, and at Riverside and
 * Hillcrest pupils with about 1,000, 500, 200 and 20), DSP decisions on most, closures on about 60%,
 * about 100,000 MASH, early-help, designated-officer and police referrals with the local authority's
 * acknowledgements and outcomes (MASH redirects to early help included), and the audit entries those
 * reads and writes make, chained so `npm run audit:verify` passes. Issue 9's dataset: how anyone
 * reproduces its figures.
 *
 * Scale is a float: 0.01 makes 10,000 concerns, 0.002 a test's 2,000; the demo organisations stay.
 * Deterministic: the same seed, scale and `--now` make the same generated rows (ids included); only the
 * demo seed's own rows (made by the app, with fresh ids and the current time) differ between runs.
 * Progress goes to stderr, the summary to stdout (`--json` prints it as JSON).
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DataSource, EntityManager } from 'typeorm';
import { AppModule } from '../src/app.module';
import { GENESIS_HASH } from '../src/audit/audit-chain';
import { pauseAuditCounting, rebuildAuditCounts } from '../src/audit/audit-counts';
import { rebuildAuditPupilIds } from '../src/audit/audit-pupil-column';
import { rebuildConcernStates } from '../src/dsp/concern-states/concern-states';
import { rebuildReferralStates } from '../src/dsp/escalations/referral-state-projection';
import { rebuildReferralBalanceCounts } from '../src/dsp/referral-balance-count-writer';
import { rebuildPupilSearch } from '../src/school/pupil-search';
import { WorkingDayCalendar } from '../src/calendar/working-days';
import { loadConfig } from '../src/config/app-config';
import { parseDatabaseUrl } from '../src/config/database-url';
import { DEMO_ORGANISATIONS } from '../src/seed/demo-data';
import { DemoSeedService } from '../src/seed/demo-seed.service';
import { BulkWriter, TableSpec } from './la-dataset/bulk-writer';
import { HistoryGenerator, Person } from './la-dataset/history';
import { Rng } from './la-dataset/prng';
import { apportion, buildWorld, DemoOrganisationRef, SchoolPhase } from './la-dataset/world';

/** Full-scale concerns (issue 9): a million over three years. */
const FULL_SCALE_CONCERNS = 1_000_000;
const DEFAULT_SEED = 20_261_130;

const who = (prefix: string) =>
  [
    [`${prefix}_user_id`, 'text'],
    [`${prefix}_name`, 'text'],
    [`${prefix}_role`, 'text'],
    [`${prefix}_organisation_id`, 'text'],
  ] as const;

/** The base tables the generator writes, parents first, with their columns in the order rows give them. */
const TABLES: TableSpec[] = [
  {
    name: 'organisations',
    columns: [
      ['id', 'text'],
      ['kind', 'text'],
      ['name', 'text'],
      ['name_cy', 'text'],
      ['local_authority_id', 'text'],
      ['created_at', 'text'],
    ],
  },
  {
    name: 'users',
    columns: [
      ['id', 'text'],
      ['email', 'text'],
      ['name', 'text'],
      ['password_hash', 'text'],
      ['language', 'text'],
      ['created_at', 'text'],
    ],
  },
  {
    name: 'memberships',
    columns: [
      ['id', 'text'],
      ['user_id', 'text'],
      ['organisation_id', 'text'],
      ['role', 'text'],
      ['created_at', 'text'],
    ],
  },
  {
    name: 'households',
    columns: [
      ['id', 'text'],
      ['label', 'text'],
      ['created_at', 'text'],
    ],
  },
  {
    name: 'pupils',
    columns: [
      ['id', 'text'],
      ['upn', 'text'],
      ['first_name', 'text'],
      ['last_name', 'text'],
      ['preferred_name', 'text'],
      ['date_of_birth', 'text'],
      ['gender', 'text'],
      ['year_group', 'int'],
      ['home_language', 'text'],
      ['looked_after', 'bool'],
      ['cp_register', 'bool'],
      ['aln', 'bool'],
      ['young_carer', 'bool'],
      ['eal', 'bool'],
      ['fsm', 'bool'],
      ['welsh_speaker', 'bool'],
      ['household_id', 'text'],
      ['created_at', 'text'],
    ],
  },
  {
    name: 'enrolments',
    columns: [
      ['id', 'text'],
      ['pupil_id', 'text'],
      ['organisation_id', 'text'],
      ['type', 'text'],
      ['started_on', 'text'],
      ['ended_on', 'text'],
      ['created_at', 'text'],
    ],
  },
  {
    name: 'concerns',
    columns: [
      ['id', 'text'],
      ['pupil_id', 'text'],
      ['organisation_id', 'text'],
      ...who('recorded_by'),
      ['recorded_at', 'text'],
      ['occurred_at', 'text'],
      ['category', 'text'],
      ['issues', 'text'],
      ['indicators', 'text'],
      ['context', 'text'],
      ['summary', 'text'],
      ['childs_words', 'text'],
      ['childs_words_language', 'text'],
      ['childs_words_language_name', 'text'],
      ['evidence_basis', 'text'],
      ['action_taken', 'text'],
      ['body_map', 'text'],
      ['corrects_concern_id', 'text'],
    ],
  },
  {
    name: 'concern_linked_pupils',
    columns: [
      ['id', 'text'],
      ['concern_id', 'text'],
      ['pupil_id', 'text'],
      ['role', 'text'],
    ],
  },
  {
    name: 'concern_decisions',
    columns: [
      ['id', 'text'],
      ['concern_id', 'text'],
      ['outcome', 'text'],
      ['rationale', 'text'],
      ...who('decided_by'),
      ['decided_at', 'text'],
      ['reasonable_cause', 'text'],
      ['reason_for_route', 'text'],
      ['below_guidance', 'bool'],
      ['guidance_level', 'int'],
      ['guidance_route', 'text'],
      ['phoned_at', 'text'],
    ],
  },
  {
    name: 'escalations',
    columns: [
      ['id', 'text'],
      ['concern_id', 'text'],
      ['pupil_id', 'text'],
      ['organisation_id', 'text'],
      ['local_authority_id', 'text'],
      ['route', 'text'],
      ['reason_for_route', 'text'],
      ['against_recommendation', 'bool'],
      ['recommended_level', 'int'],
      ['recommended_route', 'text'],
      ['consent', 'text'],
      ['referral', 'text'],
      ...who('sent_by'),
      ['sent_at', 'text'],
      ['due_by', 'text'],
      ['redirected_from_id', 'text'],
      ['reasonable_cause', 'text'],
      ['above_guidance', 'bool'],
      ['dsp_unavailable', 'bool'],
    ],
  },
  {
    name: 'escalation_acknowledgements',
    columns: [['id', 'text'], ['escalation_id', 'text'], ...who('acknowledged_by'), ['acknowledged_at', 'text']],
  },
  {
    name: 'escalation_outcomes',
    columns: [
      ['id', 'text'],
      ['escalation_id', 'text'],
      ['outcome', 'text'],
      ['note', 'text'],
      ['early_help_escalation_id', 'text'],
      ...who('decided_by'),
      ['decided_at', 'text'],
    ],
  },
  {
    name: 'concern_closures',
    columns: [
      ['id', 'text'],
      ['concern_id', 'text'],
      ['rationale', 'text'],
      ...who('closed_by'),
      ['closed_at', 'text'],
    ],
  },
  {
    name: 'audit_entries',
    columns: [
      ['seq', 'int'],
      ['id', 'text'],
      ['at', 'text'],
      ['actor_user_id', 'text'],
      ['actor_name', 'text'],
      ['actor_role', 'text'],
      ['actor_organisation_id', 'text'],
      ['action', 'text'],
      ['subject_type', 'text'],
      ['subject_id', 'text'],
      ['details', 'text'],
      ['prev_hash', 'text'],
      ['hash', 'text'],
      // Outside the hash; written here as the app writes it, so no rebuild has to update millions of rows.
      ['pupil_id', 'text'],
    ],
  },
];

export const GENERATED_TABLES = TABLES.map((table) => table.name);

export interface GenerateOptions {
  /** `sqlite:/path` or `postgres://user@host:port/db` (API.md's DATABASE_URL). */
  databaseUrl: string;
  /** 1 is issue 9's full dataset; 0.01 a hundredth of it. */
  scale: number;
  /** The moment the history runs up to (default: now, to the minute). Give it to repeat a run exactly. */
  now?: Date;
  seed?: number;
  /** The app's configuration environment (JWT_SECRET, DEMO_PASSWORD, PASSWORD_HASH_COST, ...); DATABASE_URL is set from `databaseUrl`. */
  env?: Record<string, string | undefined>;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

export interface TrackedPupil {
  label: string;
  id: string;
  upn: string;
  name: string;
  organisation: string;
  concerns: number;
  /** Entries on the pupil's chronology: concerns, mentions, decisions, referrals, answers, closures. */
  chronologyEntries: number;
}

export interface GenerateSummary {
  engine: 'sqlite' | 'postgres';
  scale: number;
  seed: number;
  now: string;
  seconds: number;
  settings: { schools: number; prus: number };
  /** Rows in each table when the generator finished (the demo seed's and the generated ones). */
  rows: Record<string, number>;
  /** Of which the generator wrote (the rest are the demo seed's). */
  generated: Record<string, number>;
  auditHead: number;
  trackedPupils: TrackedPupil[];
}

/** Refused: the database is not empty (the generator builds a dataset from nothing; it never adds to one). */
export class GeneratorRefusedError extends Error {}

/**
 * Rebuilds every derived read model (projection table) from the base tables, after the bulk load and
 * before the summary: the generator writes only the base tables, the app's own source of truth, so the
 * projections (kept up to date by the app in the same transaction as each append) must be rebuilt once
 * here, each from the module that owns it, each in one transaction (so a failed rebuild leaves the old
 * rows, never half of them):
 *   - the concern status projection `concern_states` (dsp),
 *   - the referral status projection `referral_states` (dsp),
 *   - the referral-balance counts `referral_balance_counts` (dsp, read by reports),
 *   - the pupil search columns (school),
 *   - the audit entries' `pupil_id` (audit; outside the hash),
 *   - the audit log's counts `audit_counts` (audit).
 */
export async function rebuildReadModels(dataSource: DataSource, log: (line: string) => void): Promise<void> {
  const rebuilds: Array<[string, (manager: EntityManager) => Promise<unknown>]> = [
    ['concern states', rebuildConcernStates],
    ['referral states', rebuildReferralStates],
    ['referral-balance counts', rebuildReferralBalanceCounts],
    ['pupil search columns', (manager) => rebuildPupilSearch(manager)],
    ['audit entries by pupil', rebuildAuditPupilIds],
    ['audit counts', rebuildAuditCounts],
  ];
  for (const [name, rebuild] of rebuilds) {
    const started = Date.now();
    await dataSource.transaction((manager) => rebuild(manager));
    log(`read model rebuilt: ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

async function scalar(dataSource: DataSource, sql: string): Promise<number> {
  const rows: Array<Record<string, unknown>> = await dataSource.query(sql);
  return Number(Object.values(rows[0])[0]);
}

async function countRows(dataSource: DataSource): Promise<Record<string, number>> {
  const rows: Record<string, number> = {};
  for (const table of GENERATED_TABLES) rows[table] = await scalar(dataSource, `SELECT COUNT(*) AS n FROM ${table}`);
  return rows;
}

const DEMO_KEYS: Record<string, { phase: SchoolPhase; slug: string }> = {
  riverside: { phase: 'primary', slug: 'riverside' },
  hillcrest: { phase: 'secondary', slug: 'hillcrest' },
  bridge: { phase: 'pru', slug: 'bridge' },
};

export async function generateLaDataset(options: GenerateOptions): Promise<GenerateSummary> {
  const log = options.log ?? (() => undefined);
  const scale = options.scale;
  if (!(scale > 0) || scale > 10) throw new RangeError('--scale must be a number above 0 and at most 10');
  const seed = options.seed ?? DEFAULT_SEED;
  const now = options.now ?? new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const started = Date.now();
  const target = parseDatabaseUrl(options.databaseUrl);
  const engine = target.kind;
  // No reminder sweep: on SQLite it would run its own transactions on the connection the generator is
  // bulk-loading through (measured: "cannot start a transaction within a transaction", then a failed COMMIT).
  const config = loadConfig({
    ...(options.env ?? process.env),
    DATABASE_URL: options.databaseUrl,
    SEED_DEMO: 'false',
    REMINDER_SWEEP_SECONDS: '0',
  });

  // The app itself applies its migrations (DatabaseModule) and seeds the demo world (DemoSeedService).
  const app = await NestFactory.createApplicationContext(AppModule.register(config), { logger: ['error', 'warn'] });
  try {
    const dataSource = app.get(DataSource);
    const organisationsBefore = await scalar(dataSource, 'SELECT COUNT(*) AS n FROM organisations');
    if (organisationsBefore > 0 || !(await app.get(DemoSeedService).seedIfEmpty()))
      throw new GeneratorRefusedError(
        `The database already has ${organisationsBefore || 'some'} organisations. la:generate builds a dataset on an ` +
          'EMPTY database only (it never adds to or changes existing data): give it a new database.',
      );
    log(`demo seed done (${engine}); generating at scale ${scale}, seed ${seed}, up to ${now.toISOString()}`);
    const demoRows = await countRows(dataSource);

    // The demo world as the seed made it: its organisations, accounts and password hash.
    const demoOrgs: Array<{ id: string; name: string; name_cy: string | null; kind: string }> = await dataSource.query(
      'SELECT id, name, name_cy, kind FROM organisations',
    );
    const la = demoOrgs.find((o) => o.kind === 'local_authority')!;
    const demoRefs: DemoOrganisationRef[] = DEMO_ORGANISATIONS.filter((o) => o.kind !== 'local_authority').map((o) => {
      const row = demoOrgs.find((r) => r.name === o.name)!;
      return {
        id: row.id,
        name: row.name,
        nameCy: row.name_cy,
        kind: o.kind as 'school' | 'pru',
        establishment: o.establishment!,
        ...DEMO_KEYS[o.key],
      };
    });
    const demoUsers: Array<{ id: string; email: string; name: string; role: string; organisation_id: string }> =
      await dataSource.query(
        'SELECT u.id, u.email, u.name, m.role, m.organisation_id FROM users u JOIN memberships m ON m.user_id = u.id',
      );
    const [{ password_hash: passwordHash }]: Array<{ password_hash: string }> = await dataSource.query(
      'SELECT password_hash FROM users ORDER BY email LIMIT 1',
    );
    const head: Array<{ seq: number | string; hash: string }> = await dataSource.query(
      'SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1',
    );
    const auditHead = head[0] ? { seq: Number(head[0].seq), hash: head[0].hash } : { seq: 0, hash: GENESIS_HASH };

    const rng = new Rng(seed);
    const world = buildWorld(rng, scale, now, {
      organisations: demoRefs,
      demoPupilCount: demoRows.pupils,
      localAuthorityId: la.id,
    });

    // Bulk-load settings: on SQLite no fsync and no foreign-key lookups while loading (the rows are
    // consistent by construction; the medium test checks `PRAGMA foreign_key_check`), a big page cache
    // for the indexes; on PostgreSQL no wait for the WAL flush at each COMMIT. Indexes stay as the
    // migrations made them.
    if (engine === 'sqlite') {
      await dataSource.query('PRAGMA foreign_keys = OFF');
      await dataSource.query('PRAGMA synchronous = OFF');
      await dataSource.query('PRAGMA journal_mode = WAL');
      await dataSource.query('PRAGMA cache_size = -1000000');
      await dataSource.query('PRAGMA temp_store = MEMORY');
      // Not three upserts per generated audit entry (SQLite's counting trigger): the counts are rebuilt
      // once from the log after the load, which creates the trigger again (rebuildReadModels).
      await pauseAuditCounting(dataSource.manager);
    } else {
      await dataSource.query('SET synchronous_commit = off');
    }

    const writer = await BulkWriter.open(dataSource, TABLES);
    const created = now.toISOString();
    for (const o of world.organisations.filter((org) => !org.demo))
      await writer.add('organisations', [o.id, o.kind, o.name, o.nameCy, la.id, created]);
    for (const u of world.users) {
      await writer.add('users', [u.id, u.email, u.name, passwordHash, 'en', created]);
      await writer.add('memberships', [u.membershipId, u.id, u.organisationId, u.role, created]);
    }
    for (const h of world.households) await writer.add('households', [h.id, h.label, created]);
    const enrolmentRng = rng.fork('enrolments');
    for (const p of world.pupils) {
      await writer.add('pupils', [
        p.id,
        p.upn,
        p.firstName,
        p.lastName,
        p.preferredName,
        p.dateOfBirth,
        p.gender,
        p.yearGroup,
        p.homeLanguage,
        p.lookedAfter,
        p.cpRegister,
        p.aln,
        p.youngCarer,
        p.eal,
        p.fsm,
        p.welshSpeaker,
        p.householdId,
        created,
      ]);
      const school = world.organisations[p.school];
      await writer.add('enrolments', [enrolmentRng.uuid(), p.id, school.id, 'main', p.startedOn, null, created]);
      if (p.dualAt !== null) {
        const started = new Date(now.getTime() - enrolmentRng.int(14, 400) * 86_400_000).toISOString().slice(0, 10);
        await writer.add('enrolments', [
          enrolmentRng.uuid(),
          p.id,
          world.organisations[p.dualAt].id,
          'dual',
          started,
          null,
          created,
        ]);
      }
    }
    await writer.flush();
    log(
      `roll: ${world.organisations.length} schools and PRUs, ${world.pupils.length.toLocaleString('en-GB')} generated pupils, ${world.users.length} accounts`,
    );

    // How many concerns each pupil has: most none, a long tail, and named pupils at the demo schools.
    const countRng = rng.fork('counts');
    const concernTarget = Math.round(FULL_SCALE_CONCERNS * scale);
    const counts = new Int32Array(world.pupils.length);
    const tracked = new Map<number, string>();
    const rootScale = Math.sqrt(Math.min(1, scale));
    const specials: Array<[string, string, number, number]> = [
      ['riverside', 'Riverside pupil with the longest history', Math.round(1000 * rootScale), 4],
      ['riverside', 'Riverside pupil with about 20 concerns', 20, 4],
      ['hillcrest', 'Hillcrest pupil with a long history', Math.round(500 * rootScale), 10],
      ['hillcrest', 'Hillcrest pupil with about 200 concerns', Math.round(200 * rootScale), 10],
    ];
    const demoIndex = (slug: string) => world.organisations.findIndex((o) => o.demo && o.slug === slug);
    for (const [slug, label, n, minYear] of specials) {
      const school = demoIndex(slug);
      const candidate = world.pupils.findIndex(
        (p, i) => p.school === school && p.yearGroup >= minYear && !tracked.has(i) && p.dualAt === null,
      );
      if (candidate < 0) continue;
      counts[candidate] = n;
      tracked.set(candidate, label);
    }
    const specialTotal = counts.reduce((a, b) => a + b, 0);
    const raw = new Float64Array(world.pupils.length);
    const startMs = now.getTime() - 3 * 365 * 86_400_000;
    world.pupils.forEach((p, i) => {
      if (tracked.has(i)) return;
      const since = Math.max(startMs, Date.parse(`${p.startedOn}T00:00:00Z`));
      const years = Math.max(0.05, (now.getTime() - since) / (365 * 86_400_000));
      let risk = years / 3;
      if (p.yearGroup >= 7) risk *= 1.6;
      if (world.organisations[p.school].phase === 'pru') risk *= 4;
      if (p.lookedAfter || p.cpRegister) risk *= 3;
      if (p.fsm) risk *= 1.4;
      if (!countRng.chance(Math.min(0.9, 0.3 * risk))) return;
      const tier = countRng.next();
      raw[i] =
        tier < 0.4
          ? countRng.int(1, 5)
          : tier < 0.7
            ? countRng.int(6, 19)
            : tier < 0.94
              ? countRng.logUniform(20, 200)
              : tier < 0.99
                ? countRng.logUniform(200, 500)
                : countRng.logUniform(500, 1500);
    });
    const shares = apportion(Math.max(0, concernTarget - specialTotal), Array.from(raw));
    shares.forEach((n, i) => {
      if (!tracked.has(i)) counts[i] = n;
    });

    const users = new Map(world.users.map((u) => [u.id, u]));
    const person = (u: { id: string; name: string; role: string; organisationId: string }): Person => ({
      userId: u.id,
      name: u.name,
      role: u.role,
      organisationId: u.organisationId,
    });
    const people = [
      ...[...users.values()].map(person),
      ...demoUsers.map((u) => person({ id: u.id, name: u.name, role: u.role, organisationId: u.organisation_id })),
    ];
    const recorders = world.organisations.map((o) => {
      const here = people.filter((p) => p.organisationId === o.id && p.role !== 'admin');
      return here.flatMap((p) => (p.role === 'staff' ? [p, p, p] : [p]));
    });
    const dsps = world.organisations.map((o) => people.filter((p) => p.organisationId === o.id && p.role === 'dsp'));
    const laPeople = people.filter((p) => p.organisationId === la.id);
    const history = new HistoryGenerator({
      rng: rng.fork('history'),
      world,
      concernCounts: counts,
      now,
      localAuthorityId: la.id,
      calendar: app.get(WorkingDayCalendar),
      recorders,
      dsps,
      mashOfficers: laPeople.filter((p) => p.role === 'la_mash'),
      earlyHelpOfficers: laPeople.filter((p) => p.role === 'la_early_help'),
      auditHead,
      auditKey: config.audit.key,
      writer,
      log,
      tracked: new Set(tracked.keys()),
    });
    const result = await history.run();
    await writer.close();
    log(`bulk load done in ${((Date.now() - started) / 1000).toFixed(0)} s; checking and analysing`);

    if (engine === 'sqlite') {
      await dataSource.query('PRAGMA foreign_keys = ON');
      await dataSource.query('PRAGMA synchronous = FULL');
    }
    await rebuildReadModels(dataSource, log);
    // Fresh planner statistics, so the first queries on the new data use the indexes.
    await dataSource.query('ANALYZE');
    if (engine === 'postgres') {
      // Bulk-loaded tables have no visibility map until autovacuum reaches them, so PostgreSQL cannot
      // answer the read models' counts from their covering indexes alone: measured, a big school's
      // concern count read 24,000 heap pages (215 ms) before this and none (12 ms) after.
      await dataSource.query(
        'VACUUM (ANALYZE) concern_states, referral_states, referral_balance_counts, audit_counts, enrolments, pupils',
      );
    }

    const rows = await countRows(dataSource);
    const generated = Object.fromEntries(GENERATED_TABLES.map((t) => [t, writer.written.get(t) ?? 0]));
    const auditTop = await scalar(dataSource, 'SELECT MAX(seq) AS n FROM audit_entries');
    return {
      engine,
      scale,
      seed,
      now: now.toISOString(),
      seconds: Math.round((Date.now() - started) / 100) / 10,
      settings: {
        schools: world.organisations.filter((o) => o.kind === 'school').length,
        prus: world.organisations.filter((o) => o.kind === 'pru').length,
      },
      rows,
      generated,
      auditHead: auditTop,
      trackedPupils: [...tracked.entries()].map(([index, label]) => {
        const p = world.pupils[index];
        return {
          label,
          id: p.id,
          upn: p.upn,
          name: `${p.firstName} ${p.lastName}`,
          organisation: world.organisations[p.school].name,
          concerns: result.concernsOf.get(index) ?? 0,
          chronologyEntries: result.chronologyEntries.get(index) ?? 0,
        };
      }),
    };
  } finally {
    await app.close();
  }
}

function parseArgs(argv: string[]): { database?: string; scale: number; now?: Date; seed?: number; json: boolean } {
  const args: { database?: string; scale: number; now?: Date; seed?: number; json: boolean } = {
    scale: 1,
    json: false,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--database') args.database = value();
    else if (flag === '--scale') args.scale = Number(value());
    else if (flag === '--now') args.now = new Date(value());
    else if (flag === '--seed') args.seed = Number(value());
    else if (flag === '--json') args.json = true;
    else throw new Error(`Unknown option ${argv[i]}`);
  }
  if (args.now && Number.isNaN(args.now.getTime())) throw new Error('--now must be an ISO instant');
  return args;
}

function printSummary(summary: GenerateSummary): void {
  const n = (x: number) => x.toLocaleString('en-GB');
  const lines = [
    `Generated on ${summary.engine} in ${summary.seconds} s (scale ${summary.scale}, seed ${summary.seed}, up to ${summary.now})`,
    `  ${summary.settings.schools} schools and ${summary.settings.prus} PRUs`,
    ...Object.entries(summary.rows).map(
      ([table, count]) =>
        `  ${table.padEnd(28)} ${n(count).padStart(11)}  (generated ${n(summary.generated[table] ?? 0)})`,
    ),
    `  audit chain head: entry ${n(summary.auditHead)} (run npm run audit:verify to check it)`,
    '  pupils with long histories (for the benchmark):',
    ...summary.trackedPupils.map(
      (p) =>
        `    ${p.label}: ${p.name} (${p.upn}, ${p.organisation}) id ${p.id}: ${n(p.concerns)} concerns, ${n(p.chronologyEntries)} chronology entries`,
    ),
    '  sign in as any demo account (API.md) with DEMO_PASSWORD; generated accounts (dsp1@<school>.example, ...) use the same password',
  ];
  console.log(lines.join('\n'));
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  if (!args.database) {
    console.error(
      'Usage: npm run la:generate -- --database <DATABASE_URL> [--scale 1] [--now <ISO instant>] [--seed <n>] [--json]',
    );
    return 2;
  }
  try {
    const summary = await generateLaDataset({
      databaseUrl: args.database,
      scale: args.scale,
      now: args.now,
      seed: args.seed,
      log: (line) => console.error(`[la:generate ${new Date().toISOString().slice(11, 19)}] ${line}`),
    });
    if (args.json) console.log(JSON.stringify(summary, null, 2));
    else printSummary(summary);
    return 0;
  } catch (error) {
    if (error instanceof GeneratorRefusedError || error instanceof RangeError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
