/**
 * `npm run build && node dist/scripts/chronology-pdf-bench.js [--engine postgres] [--entries 1000] [--runs 3]`:
 * how long the chronology PDF takes for a long history, and how long it holds the event loop. Boots
 * the app on a throwaway database with the demo seed, gives Zofia Nowak (Riverside Primary) a history
 * of N entries written straight into the tables (concerns, one in ten with a body map and one in five
 * with the child's words in Welsh, and DSP decisions on about half of them), then, as Riverside's DSP
 * over HTTP, downloads `GET /api/pupils/:id/chronology.pdf` (English, then Welsh with staff names
 * removed). Prints each download's time, size and pages and the longest the event loop was blocked
 * meanwhile (perf_hooks' event-loop delay histogram, 10 ms resolution), while a probe asks the bare
 * route `GET /health/live` every 20 ms. Figures: docs/performance.md, "Chronology PDF".
 *
 * PostgreSQL: DATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432/postgres); a
 * database `sg_bench_pdf_*` is made and dropped on it.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/app.setup';
import { Actor } from '../src/common/actor';
import { newId } from '../src/common/ids';
import { recordedBy } from '../src/common/recorded-by';
import { loadConfig } from '../src/config/app-config';
import { ConcernDecision } from '../src/dsp/concerns/concern-decision.entity';
import { Concern } from '../src/dsp/concerns/concern.entity';

async function throwawayDatabase(engine: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sg_bench_pdf_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  if (engine === 'postgres') {
    const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const admin = new Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      async drop() {
        const client = new Client({ connectionString: base });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const dir = join(tmpdir(), 'sg-bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.sqlite`);
  return {
    url: `sqlite:${file}`,
    drop: () => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
      return Promise.resolve();
    },
  };
}

const SUMMARY =
  'Arrived late and hungry; said there was no food at home again and that mum was "asleep all day". ' +
  'Kept with the learning mentor at break and lunch. Told the DSP straight away.';
const CHILDS_WORDS = "Does dim bwyd adre. Mae'r ŵyn yn y cae ond dw i ddim eisiau mynd adre heno.";

/** Writes `count` entries for the pupil: concerns, and a DSP decision after roughly every other one. */
async function history(dataSource: DataSource, pupilId: string, teacher: Actor, dsp: Actor, count: number) {
  const concerns: Concern[] = [];
  const decisions: ConcernDecision[] = [];
  const start = Date.now() - count * 6 * 3600 * 1000;
  for (let i = 0; concerns.length + decisions.length < count; i++) {
    const at = new Date(start + i * 6 * 3600 * 1000);
    const concern: Concern = {
      id: newId(),
      pupilId,
      organisationId: teacher.organisationId,
      ...recordedBy('recordedBy', teacher),
      recordedAt: at,
      occurredAt: at,
      category: i % 3 === 0 ? 'physical' : 'neglect',
      issues: [],
      indicators: [],
      context: null,
      summary: `${i + 1}. ${SUMMARY}`,
      childsWords: i % 5 === 0 ? CHILDS_WORDS : null,
      childsWordsLanguage: i % 5 === 0 ? 'cy' : null,
      childsWordsLanguageName: null,
      evidenceBasis: 'observed',
      actionTaken: null,
      bodyMap:
        i % 10 === 0
          ? [
              { view: 'front', x: 0.76, y: 0.35, note: 'Bruise about 3cm across' },
              { view: 'back', x: 0.5, y: 0.33, note: null },
            ]
          : null,
    };
    concerns.push(concern);
    if (i % 2 === 1 && concerns.length + decisions.length < count)
      decisions.push({
        id: newId(),
        concernId: concern.id,
        outcome: 'monitor',
        rationale: 'Monitor: speak to the family this week and review at Friday’s safeguarding meeting.',
        reasonableCause: null,
        reasonForRoute: null,
        phonedAt: null,
        belowGuidance: false,
        guidanceLevel: null,
        guidanceRoute: null,
        ...recordedBy('decidedBy', dsp),
        decidedAt: new Date(at.getTime() + 3600 * 1000),
      });
  }
  for (let i = 0; i < concerns.length; i += 100)
    await dataSource.getRepository(Concern).insert(concerns.slice(i, i + 100));
  for (let i = 0; i < decisions.length; i += 100)
    await dataSource.getRepository(ConcernDecision).insert(decisions.slice(i, i + 100));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const engine = option('engine') ?? 'sqlite';
  const count = Number(option('entries') ?? 1000);
  const runs = Number(option('runs') ?? 3);
  const database = await throwawayDatabase(engine);
  const config = loadConfig({
    NODE_ENV: 'development',
    // As the Nest logger below: warnings and errors only, not a line per request among the results.
    LOG_LEVEL: 'warn',
    DATABASE_URL: database.url,
    SEED_DEMO: 'true',
    DEMO_PASSWORD: 'demo-password',
    JWT_SECRET: randomBytes(32).toString('hex'),
    AUDIT_CHECKPOINT_FILE: join(tmpdir(), `pdf-bench-checkpoints-${process.pid}.jsonl`),
  });
  const app = configureApp(await NestFactory.create(AppModule.register(config), { logger: ['error', 'warn'] }));
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  try {
    const signIn = async (email: string) => {
      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, password: 'demo-password' }),
      });
      const { accessToken } = (await login.json()) as { accessToken: string };
      const auth = { Authorization: `Bearer ${accessToken}` };
      const me = (await (await fetch(`${base}/api/me`, { headers: auth })).json()) as {
        id: string;
        name: string;
        role: Actor['role'];
        organisationId: string;
      };
      return { auth, actor: { ...me, userId: me.id } as unknown as Actor };
    };
    const dsp = await signIn('dsp@riverside.example');
    const teacher = await signIn('teacher@riverside.example');
    const found = (await (await fetch(`${base}/api/pupils?q=Nowak`, { headers: dsp.auth })).json()) as {
      items: Array<{ id: string; firstName: string }>;
    };
    const pupil = found.items.find((p) => p.firstName === 'Zofia')!;
    await history(app.get(DataSource), pupil.id, teacher.actor, dsp.actor, count);
    const chronology = (await (
      await fetch(`${base}/api/pupils/${pupil.id}/chronology?pageSize=1`, { headers: dsp.auth })
    ).json()) as { total: number };
    console.log(`${engine}: Zofia Nowak's chronology has ${chronology.total} entries`);

    for (const query of ['lang=en', 'lang=cy&redactStaff=true']) {
      for (let run = 1; run <= runs; run++) {
        const histogram = monitorEventLoopDelay({ resolution: 10 });
        let probes = 0;
        let slowestProbe = 0;
        let stop = false;
        const probe = (async () => {
          while (!stop) {
            const asked = performance.now();
            await (await fetch(`${base}/health/live`)).arrayBuffer();
            slowestProbe = Math.max(slowestProbe, performance.now() - asked);
            probes++;
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        })();
        histogram.enable();
        const started = performance.now();
        const response = await fetch(`${base}/api/pupils/${pupil.id}/chronology.pdf?${query}`, { headers: dsp.auth });
        const pdf = Buffer.from(await response.arrayBuffer());
        const seconds = (performance.now() - started) / 1000;
        histogram.disable();
        stop = true;
        await probe;
        const pages = (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
        console.log(
          `  ${query.padEnd(26)} run ${run}: ${response.status} ${seconds.toFixed(2)} s, ${(pdf.length / 1e6).toFixed(2)} MB, ` +
            `${pages} pages; longest event-loop block ${(histogram.max / 1e6).toFixed(0)} ms; ` +
            `/health/live ${probes} answers, slowest ${slowestProbe.toFixed(0)} ms`,
        );
      }
    }
  } finally {
    await app.close();
    await database.drop();
    rmSync(config.audit.checkpointFile, { force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
