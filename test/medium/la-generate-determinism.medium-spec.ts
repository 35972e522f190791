import { generateLaDataset, GenerateSummary } from '../../scripts/la-generate';
import { createTestDatabase } from '../support/test-database';
import { DEMO_PASSWORD, TEST_JWT_SECRET, TEST_PASSWORD_HASH_COST } from '../support/test-app';

/**
 * `npm run la:generate` is how anyone reproduces issue 9's figures, so two runs with the same seed,
 * scale and moment must make the same data: the same rows, and the same named pupils (ids, UPNs,
 * names and history lengths). Its own file: each run boots the app, and one file's hook has one budget.
 */
const ENV = {
  NODE_ENV: 'test',
  JWT_SECRET: TEST_JWT_SECRET,
  DEMO_PASSWORD,
  PASSWORD_HASH_COST: String(TEST_PASSWORD_HASH_COST),
};

describe('npm run la:generate, twice', () => {
  const runs: GenerateSummary[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i += 1) {
      const database = await createTestDatabase();
      try {
        runs.push(
          await generateLaDataset({
            databaseUrl: database.url,
            scale: 0.002,
            now: new Date('2026-11-30T09:00:00.000Z'),
            env: ENV,
          }),
        );
      } finally {
        await database.drop();
      }
    }
  });

  it('makes the same data again from the same seed, scale and moment', () => {
    expect(runs[1].generated).toEqual(runs[0].generated);
    expect(runs[1].rows).toEqual(runs[0].rows);
    expect(runs[1].trackedPupils).toEqual(runs[0].trackedPupils);
    expect(runs[0].trackedPupils.length).toBeGreaterThan(0);
  });
});
