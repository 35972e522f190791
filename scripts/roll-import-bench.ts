/**
 * `npm run build && node dist/scripts/roll-import-bench.js [--engine postgres] [--pupils 10000]`: how
 * long the roll import takes for a large file. Generates a Common Transfer File of N pupils (default
 * 10,000), each with an address and two contacts, and the same roll as a CSV; boots the app on a
 * throwaway database with the demo seed; and, as Riverside Primary's head teacher over HTTP, times a
 * dry run, the apply, a re-import of the same CTF (all unchanged) and of the CSV (all unchanged).
 * Prints the figures (docs/performance.md, "Roll import"); asserts nothing but the counts.
 *
 * PostgreSQL: DATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432/postgres); a
 * database `sg_bench_roll_*` is made and dropped on it.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/app.setup';
import { loadConfig } from '../src/config/app-config';
import { upnFor } from '../src/school/upn';

const FORENAMES = [
  'Elin',
  'Cai',
  'Ffion',
  'Osian',
  'Mali',
  'Dewi',
  'Amira',
  'Yusuf',
  'Lily',
  'Jacob',
  'Zofia',
  'Ethan',
];
const SURNAMES = ['Pritchard', 'Hughes', 'Rees', 'Price', 'Morgan', 'Lewis', 'Khan', 'Nowak', 'Okafor', 'Bevan'];
const STREETS = ['Heol y Bont', 'Clive Street', 'Ninian Road', 'Stryd y Castell', 'Penarth Road'];

interface BenchPupil {
  upn: string;
  surname: string;
  forename: string;
  dob: string;
  year: number;
  street: string;
  postcode: string;
}

function pupils(count: number): BenchPupil[] {
  return Array.from({ length: count }, (_, i) => {
    const year = 1 + (i % 11);
    const birthYear = 2025 - year - 5;
    return {
      // 10 "year" codes × 1,000 serials each: 10,000 distinct valid UPNs.
      upn: upnFor(
        `6814321${String(10 + (Math.floor(i / 1000) % 90)).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`,
      ),
      surname: SURNAMES[i % SURNAMES.length],
      forename: FORENAMES[(i * 7) % FORENAMES.length],
      dob: `${birthYear}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
      year,
      street: `${1 + (i % 200)} ${STREETS[i % STREETS.length]}`,
      postcode: `CF${10 + (i % 20)} ${i % 10}AB`,
    };
  });
}

function ctfOf(list: BenchPupil[]): string {
  const body = list
    .map(
      (p) =>
        `<Pupil><UPN>${p.upn}</UPN><Surname>${p.surname}</Surname><Forename>${p.forename}</Forename><DOB>${p.dob}</DOB>` +
        `<Gender>${p.year % 2 ? 'F' : 'M'}</Gender><NCyearActual>${p.year}</NCyearActual><EnrolStatus>C</EnrolStatus>` +
        `<Address><AddressLines><AddressLine>${p.street}</AddressLine><AddressLine>Grangetown</AddressLine></AddressLines>` +
        `<Town>Cardiff</Town><Postcode>${p.postcode}</Postcode></Address><Contacts>` +
        `<Contact><Forename>Sara</Forename><Surname>${p.surname}</Surname><Relationship>Mother</Relationship><Responsibility>true</Responsibility><Telephone>029 2000 ${String(p.year).padStart(4, '0')}</Telephone></Contact>` +
        `<Contact><Forename>Huw</Forename><Surname>${p.surname}</Surname><Relationship>Father</Relationship><Responsibility>true</Responsibility><Telephone>07700 900${String(p.year).padStart(3, '0')}</Telephone></Contact>` +
        `</Contacts></Pupil>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CTfile><Header><DocumentName>Common Transfer File</DocumentName></Header><CTFpupilData>\n${body}\n</CTFpupilData></CTfile>\n`;
}

function csvOf(list: BenchPupil[]): string {
  const header =
    'UPN,Legal Surname,Legal Forename,DOB,Gender,NC Year Actual,Enrolment Status,Address Line 1,Address Line 2,Town,Postcode,' +
    'Contact 1 Name,Contact 1 Relationship,Contact 1 Phone,Contact 1 Parental Responsibility,' +
    'Contact 2 Name,Contact 2 Relationship,Contact 2 Phone,Contact 2 Parental Responsibility';
  const rows = list.map((p) =>
    [
      p.upn,
      p.surname,
      p.forename,
      p.dob,
      p.year % 2 ? 'F' : 'M',
      p.year,
      'C',
      p.street,
      'Grangetown',
      'Cardiff',
      p.postcode,
      `Sara ${p.surname}`,
      'Mother',
      `029 2000 ${String(p.year).padStart(4, '0')}`,
      'Y',
      `Huw ${p.surname}`,
      'Father',
      `07700 900${String(p.year).padStart(3, '0')}`,
      'Y',
    ].join(','),
  );
  return [header, ...rows].join('\r\n') + '\r\n';
}

async function throwawayDatabase(engine: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sg_bench_roll_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
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

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const engine = option('engine') ?? 'sqlite';
  const count = Number(option('pupils') ?? 10_000);
  const database = await throwawayDatabase(engine);
  const config = loadConfig({
    NODE_ENV: 'development',
    // As the Nest logger below: warnings and errors only, not a line per request among the results.
    LOG_LEVEL: 'warn',
    DATABASE_URL: database.url,
    SEED_DEMO: 'true',
    DEMO_PASSWORD: 'demo-password',
    JWT_SECRET: randomBytes(32).toString('hex'),
    AUDIT_CHECKPOINT_FILE: join(tmpdir(), `roll-bench-checkpoints-${process.pid}.jsonl`),
  });
  const app = configureApp(await NestFactory.create(AppModule.register(config), { logger: ['error', 'warn'] }));
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  try {
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'head@riverside.example', password: 'demo-password' }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const auth = { Authorization: `Bearer ${accessToken}` };
    const me = (await (await fetch(`${base}/api/me`, { headers: auth })).json()) as { organisationId: string };

    const list = pupils(count);
    const ctf = ctfOf(list);
    const csv = csvOf(list);
    console.log(
      `${engine}: ${count} pupils, each with an address and two contacts. CTF ${(Buffer.byteLength(ctf) / 1e6).toFixed(1)} MB, CSV ${(Buffer.byteLength(csv) / 1e6).toFixed(1)} MB`,
    );
    const run = async (label: string, body: string, type: string, query: string) => {
      const started = performance.now();
      const response = await fetch(`${base}/api/organisations/${me.organisationId}/roll-imports?${query}`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': type },
        body,
      });
      const answer = (await response.json()) as { summary?: Record<string, number>; message?: string };
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `  ${label.padEnd(28)} ${response.status}  ${seconds.toFixed(2)} s  ${JSON.stringify(answer.summary ?? answer.message)}`,
      );
    };
    await run('CTF dry run', ctf, 'application/xml', 'dryRun=true&mode=full');
    await run('CTF apply', ctf, 'application/xml', 'dryRun=false&mode=full');
    await run('CTF re-import (unchanged)', ctf, 'application/xml', 'dryRun=false&mode=full');
    await run('CSV re-import (unchanged)', csv, 'text/csv', 'dryRun=false&mode=full');
    await run('CSV dry run', csv, 'text/csv', 'dryRun=true&mode=full');
    // Every pupil moves up a year and has a new address: 10,000 updates.
    const moved = csvOf(list.map((p) => ({ ...p, year: (p.year % 11) + 1, street: `${p.street} Flat 1` })));
    await run('CSV apply (all updated)', moved, 'text/csv', 'dryRun=false&mode=full');
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
