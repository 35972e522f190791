import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { ApiClient, signInToApi } from './api';
import { createTestDatabase, TestDatabase } from './test-database';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-signing';
export const DEMO_PASSWORD = 'demo-password';
/**
 * scrypt's cost for the tests' password hashes (log2 N; production uses 15): hashing the demo password
 * at boot and every sign-in cost next to nothing, so a busy machine does not slow the suite down.
 * Hashes keep their parameters, so hashes made at any cost still verify.
 */
export const TEST_PASSWORD_HASH_COST = 4;

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  database: TestDatabase;
  dataSource: DataSource;
  http: () => ReturnType<typeof request>;
  /** Signs in through the API and returns the Bearer token (cached per email). */
  tokenFor(email: string): Promise<string>;
  /** The JSON API as `email` (signed in on first use), with typed answers. */
  as(email: string): ApiClient;
  close(): Promise<void>;
}

/** Options for booting the whole app on its own fresh database. */
export interface TestAppOptions {
  seedDemo?: boolean;
  env?: Record<string, string>;
}

/** The audit checkpoint file of one test database: its own, so a test can read exactly its checkpoints. */
export function testCheckpointFile(databaseUrl: string): string {
  return join(
    tmpdir(),
    'sg-tests',
    `audit-checkpoints-${createHash('sha256').update(databaseUrl).digest('hex').slice(0, 16)}.jsonl`,
  );
}

export function testConfig(databaseUrl: string, options: TestAppOptions = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    AUDIT_CHECKPOINT_FILE: testCheckpointFile(databaseUrl),
    JWT_SECRET: TEST_JWT_SECRET,
    SEED_DEMO: String(options.seedDemo ?? true),
    DEMO_PASSWORD,
    PASSWORD_HASH_COST: String(TEST_PASSWORD_HASH_COST),
    ...options.env,
  });
}

/** The whole AppModule over HTTP (end-to-end tier), or with seedDemo false for medium tests. */
export async function bootTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = testConfig(database.url, options);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)] }).compile();
  const app = configureApp(moduleRef.createNestApplication({ logger: ['error', 'warn'] }));
  await app.init();
  const tokens = new Map<string, string>();
  const server = app.getHttpServer();
  const testApp: TestApp = {
    app,
    config,
    database,
    dataSource: app.get(DataSource),
    http: () => request(server),
    async tokenFor(email: string) {
      const cached = tokens.get(email);
      if (cached) return cached;
      const response = await signInToApi(testApp, { email, password: DEMO_PASSWORD });
      if (response.status !== 200)
        throw new Error(`Sign-in as ${email} failed: ${response.status} ${JSON.stringify(response.body)}`);
      tokens.set(email, response.body.accessToken);
      return response.body.accessToken;
    },
    as: (email: string) => new ApiClient(testApp, email),
    async close() {
      await app.close();
      await database.drop();
      rmSync(config.audit.checkpointFile, { force: true });
    },
  };
  return testApp;
}
