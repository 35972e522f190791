import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { GenerateSummary, generateLaDataset, GeneratorRefusedError } from '../../scripts/la-generate';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain';
import { loadConfig } from '../../src/config/app-config';
import { isBelowGuidance, needsReasonForRoute } from '../../src/guidance/guidance-engine';
import { OUTCOMES_BY_ROUTE } from '../../src/local-authority/inbox.dto';
import { referralStatus } from '../../src/dsp/escalations/referral-status';
import { isValidUpn } from '../../src/school/upn';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { DEMO_PASSWORD, TEST_JWT_SECRET, TEST_PASSWORD_HASH_COST, testConfig } from '../support/test-app';

/**
 * `npm run la:generate` at a tiny scale on a throwaway database: what a user of the generated data
 * would notice. The app boots on the result and reads it as its own; the figures the generator prints
 * are the rows there are; the audit chain verifies; every decision and referral obeys the rules the app
 * enforces when they are made through it.
 */
const SCALE = 0.002;
const NOW = new Date('2026-11-30T09:00:00.000Z');
const ENV = {
  NODE_ENV: 'test',
  JWT_SECRET: TEST_JWT_SECRET,
  DEMO_PASSWORD,
  PASSWORD_HASH_COST: String(TEST_PASSWORD_HASH_COST),
};

describe('npm run la:generate', () => {
  let database: TestDatabase;
  let summary: GenerateSummary;
  let app: INestApplication;
  let dataSource: DataSource;
  const http = () => request(app.getHttpServer() as Parameters<typeof request>[0]);
  const tokenFor = async (email: string) => {
    const response = await http().post('/api/auth/login').send({ email, password: DEMO_PASSWORD });
    expect(response.status).toBe(200);
    return (response.body as { accessToken: string }).accessToken;
  };

  let refusal: unknown;
  let concernsAfterRefusal: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    summary = await generateLaDataset({ databaseUrl: database.url, scale: SCALE, now: NOW, env: ENV });
    // Every run boots the app (its migrations and demo seed), and passport keeps the last booted app's
    // sign-in strategy process-wide: so the refused run goes first, and the app the tests call boots last.
    refusal = await generateLaDataset({ databaseUrl: database.url, scale: SCALE, env: ENV }).catch((e: unknown) => e);
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.register(testConfig(database.url, { seedDemo: false }))],
    }).compile();
    app = configureApp(moduleRef.createNestApplication({ logger: ['error', 'warn'] }));
    await app.init();
    dataSource = app.get(DataSource);
    concernsAfterRefusal = await count('SELECT COUNT(*) AS n FROM concerns');
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('prints the rows there are: the demo seed plus what it generated, a concern for every thousandth of a million', async () => {
    for (const [table, count] of Object.entries(summary.rows)) {
      const [{ n }] = await dataSource.query<Array<{ n: string | number }>>(`SELECT COUNT(*) AS n FROM ${table}`);
      expect([table, Number(n)]).toEqual([table, count]);
    }
    expect(summary.generated.concerns).toBe(Math.round(1_000_000 * SCALE));
    expect(summary.rows.concerns).toBeGreaterThan(summary.generated.concerns); // the demo's own histories too
    // Decisions on most, closures on about 60%, referrals answered.
    const undecided = await count(
      'SELECT COUNT(*) AS n FROM concerns c WHERE NOT EXISTS (SELECT 1 FROM concern_decisions d WHERE d.concern_id = c.id)',
    );
    expect(undecided).toBeLessThan(summary.rows.concerns * 0.15);
    expect(summary.rows.concern_closures / summary.rows.concerns).toBeGreaterThan(0.4);
    expect(summary.rows.concern_closures / summary.rows.concerns).toBeLessThan(0.8);
    expect(summary.generated.escalations).toBeGreaterThan(0);
    expect(summary.generated.escalation_outcomes).toBeGreaterThan(0);
    expect(summary.trackedPupils.find((p) => p.label.includes('about 20'))?.concerns).toBe(20);
  });

  it('refuses a database that already has organisations, and changes nothing in it', () => {
    expect(refusal).toBeInstanceOf(GeneratorRefusedError);
    expect((refusal as Error).message).toMatch(/EMPTY database/);
    expect(concernsAfterRefusal).toBe(summary.rows.concerns);
  });

  it('leaves an audit chain that verifies, from the demo seed through every generated entry', async () => {
    const { checked, broken } = await verifyAuditChain(dataSource, { key: loadConfig(ENV).audit.key });
    expect(broken).toBeNull();
    expect(checked).toBe(summary.rows.audit_entries);
    expect(summary.auditHead).toBe(summary.rows.audit_entries);
  });

  it('builds every read model from what it generated: a state for every concern and referral, search columns, audit pupil ids', async () => {
    expect(await count('SELECT COUNT(*) AS n FROM concern_states')).toBe(summary.rows.concerns);
    expect(await count('SELECT COUNT(*) AS n FROM referral_states')).toBe(summary.rows.escalations);
    expect(await count('SELECT COUNT(*) AS n FROM pupils WHERE search_full_name IS NULL')).toBe(0);
    expect(
      await count("SELECT COUNT(*) AS n FROM audit_entries WHERE subject_type = 'pupil' AND pupil_id IS NULL"),
    ).toBe(0);
    expect(await count("SELECT SUM(n) AS n FROM audit_counts WHERE span = 'all'")).toBe(
      await count('SELECT COUNT(*) AS n FROM audit_entries WHERE actor_organisation_id IS NOT NULL'),
    );
    // SQLite counts with a trigger the generator drops for its bulk load: it is back for the app.
    if (database.engine === 'sqlite')
      expect(
        await count(
          "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name = 'audit_entries_counted'",
        ),
      ).toBe(1);
    // The referral balance counts every generated concern once, by the day it happened.
    expect(await count("SELECT SUM(concerns) AS n FROM referral_balance_counts WHERE span = 'day'")).toBe(
      summary.rows.concerns,
    );
  });

  it('gives every pupil a valid, unique UPN and breaks no foreign key', async () => {
    const pupils = await dataSource.query<Array<{ upn: string }>>('SELECT upn FROM pupils');
    expect(pupils.every((p) => isValidUpn(p.upn))).toBe(true);
    expect(new Set(pupils.map((p) => p.upn)).size).toBe(pupils.length);
    if (database.engine === 'sqlite') expect(await dataSource.query('PRAGMA foreign_key_check')).toEqual([]);
  });

  it('lets the demo DSP sign in and see the generated concerns, a long chronology and the dashboard', async () => {
    const token = await tokenFor('dsp@riverside.example');
    const concerns = await http().get('/api/concerns').set('Authorization', `Bearer ${token}`);
    expect(concerns.status).toBe(200);
    const generatedIds = new Set(
      (
        await dataSource.query<Array<{ id: string }>>(
          "SELECT c.id FROM concerns c JOIN organisations o ON o.id = c.organisation_id WHERE o.name = 'Riverside Primary'",
        )
      ).map((row) => row.id),
    );
    const { items, total } = concerns.body as { items: Array<{ id: string }>; total: number };
    expect(items.length).toBeGreaterThan(20);
    expect(total).toBe(generatedIds.size);
    expect(items.every((item) => generatedIds.has(item.id))).toBe(true);

    const twenty = summary.trackedPupils.find((p) => p.label.includes('about 20'))!;
    const chronology = await http()
      .get(`/api/pupils/${twenty.id}/chronology?pageSize=200`)
      .set('Authorization', `Bearer ${token}`);
    expect(chronology.status).toBe(200);
    const entries = (chronology.body as { entries: Array<{ kind: string }> }).entries;
    expect(entries.filter((e) => e.kind === 'concern_recorded')).toHaveLength(20);

    const dashboard = await http().get('/').set('Authorization', `Bearer ${token}`);
    expect(dashboard.status).toBe(200);
    const concernPage = await http().get(`/concerns/${items[0].id}`).set('Authorization', `Bearer ${token}`);
    expect(concernPage.status).toBe(200);
  });

  it('gives the MASH officer an inbox of referrals whose statuses follow their acknowledgements and outcomes', async () => {
    const token = await tokenFor('mash@cardiff.example');
    const inbox = await http().get('/api/la/escalations').set('Authorization', `Bearer ${token}`);
    expect(inbox.status).toBe(200);
    const items = (inbox.body as { items: Array<{ id: string; status: string; route: string }> }).items;
    expect(items.length).toBeGreaterThan(0);
    const facts = await dataSource.query<
      Array<{ id: string; acknowledged: number | string; decided: number | string }>
    >(
      `SELECT e.id,
              (SELECT COUNT(*) FROM escalation_acknowledgements a WHERE a.escalation_id = e.id) AS acknowledged,
              (SELECT COUNT(*) FROM escalation_outcomes o WHERE o.escalation_id = e.id) AS decided
         FROM escalations e`,
    );
    const byId = new Map(facts.map((f) => [f.id, f]));
    for (const item of items) {
      const fact = byId.get(item.id)!;
      expect(item.route).toBe('mash');
      expect(item.status).toBe(
        referralStatus({ acknowledged: Number(fact.acknowledged) > 0, decided: Number(fact.decided) > 0 }),
      );
    }
    expect((await http().get('/la/inbox').set('Authorization', `Bearer ${token}`)).status).toBe(200);
  });

  it('writes only decisions and referrals the app would accept', async () => {
    const decisions = await dataSource.query<
      Array<{
        outcome: string;
        reasonable_cause: string | null;
        reason_for_route: string | null;
        below_guidance: boolean | number;
        guidance_level: number;
        guidance_route: string;
      }>
    >(
      'SELECT outcome, reasonable_cause, reason_for_route, below_guidance, guidance_level, guidance_route FROM concern_decisions',
    );
    for (const d of decisions) {
      const guidance = { level: d.guidance_level, route: d.guidance_route } as Parameters<typeof isBelowGuidance>[1];
      const judgement = d.reasonable_cause as Parameters<typeof isBelowGuidance>[2];
      expect(Boolean(d.below_guidance)).toBe(isBelowGuidance(d.outcome as never, guidance, judgement));
      if (needsReasonForRoute(d.outcome as never, guidance, judgement))
        expect((d.reason_for_route ?? '').trim().length).toBeGreaterThanOrEqual(20);
    }

    const referrals = await dataSource.query<
      Array<{
        id: string;
        route: string;
        consent: string;
        against_recommendation: boolean | number;
        reason_for_route: string | null;
        redirected_from_id: string | null;
        outcome: string | null;
        early_help_escalation_id: string | null;
        acknowledged: string | null;
      }>
    >(
      `SELECT e.id, e.route, e.consent, e.against_recommendation, e.reason_for_route, e.redirected_from_id,
              o.outcome, o.early_help_escalation_id, a.id AS acknowledged
         FROM escalations e
         LEFT JOIN escalation_outcomes o ON o.escalation_id = e.id
         LEFT JOIN escalation_acknowledgements a ON a.escalation_id = e.id`,
    );
    const redirectedFrom = new Map(
      referrals.filter((r) => r.redirected_from_id).map((r) => [r.id, r.redirected_from_id]),
    );
    for (const r of referrals) {
      const consent = JSON.parse(r.consent) as {
        sought: boolean;
        given?: boolean;
        givenBy?: string;
        reasonNotSought?: string;
      };
      if (r.against_recommendation) expect((r.reason_for_route ?? '').trim().length).toBeGreaterThanOrEqual(20);
      if (r.route === 'early_help' && !r.redirected_from_id)
        expect([consent.given, Boolean(consent.givenBy)]).toEqual([true, true]);
      if (r.route === 'mash' && consent.sought === false) expect(consent.reasonNotSought).toBeTruthy();
      if (r.outcome) {
        expect(OUTCOMES_BY_ROUTE[r.route]).toContain(r.outcome);
        expect(r.acknowledged).not.toBeNull();
      }
      if (r.outcome === 'redirect_early_help') expect(redirectedFrom.get(r.early_help_escalation_id!)).toBe(r.id);
      else expect(r.early_help_escalation_id).toBeNull();
    }
  });

  async function count(sql: string): Promise<number> {
    const [{ n }] = await dataSource.query<Array<{ n: string | number }>>(sql);
    return Number(n);
  }
});
