import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AuditCheckpointer } from '../../src/audit/audit-checkpointer';
import { AuditItem, Paged } from '../support/api';
import { bootTestApp, TestApp } from '../support/test-app';

const PROJECT_ROOT = join(__dirname, '..', '..');
/** The built CLI, exactly what `npm run audit:verify` runs. */
const VERIFY_CLI = join(PROJECT_ROOT, 'dist', 'src', 'audit', 'verify-audit-chain.cli.js');

describe('The audit log', () => {
  let testApp: TestApp;
  let riversidePupilId: string;
  let dspUserId: string;

  const auditOf = (email: string, pupilId: string) =>
    testApp.as(email).get<Paged<AuditItem>>('/api/audit', { subjectType: 'pupil', subjectId: pupilId });

  beforeAll(async () => {
    testApp = await bootTestApp();
    const dsp = testApp.as('dsp@riverside.example');
    riversidePupilId = (await dsp.pupils())[0].id;
    dspUserId = (await dsp.me()).id;
  });

  afterAll(() => testApp.close());

  describe('who opened a pupil’s record', () => {
    let openedBetween: [number, number];

    beforeAll(async () => {
      const before = Date.now();
      const opened = await testApp.as('dsp@riverside.example').get(`/api/pupils/${riversidePupilId}`);
      expect(opened.status).toBe(200);
      openedBetween = [before, Date.now()];
    });

    it("shows the head teacher that the school's DSP opened the pupil's record", async () => {
      const response = await auditOf('head@riverside.example', riversidePupilId);
      expect(response.status).toBe(200);
      expect(response.body.items).toContainEqual({
        at: expect.any(String),
        actor: { id: dspUserId, name: 'Siân Morgan', role: 'dsp' },
        action: 'pupil.viewed',
        subjectType: 'pupil',
        subjectId: riversidePupilId,
        // Added fields (API.md: added, never renamed): where the DSP acted, and whom the record is about.
        organisation: { id: expect.any(String), name: 'Riverside Primary' },
        pupil: { id: riversidePupilId, name: expect.any(String) },
      });
      const viewed = response.body.items.find((item) => item.action === 'pupil.viewed')!;
      expect(Number.isNaN(Date.parse(viewed.at))).toBe(false);
      // Stamped while the request was being answered (the clock's millisecond, so no slack needed).
      expect(Date.parse(viewed.at)).toBeGreaterThanOrEqual(openedBetween[0]);
      expect(Date.parse(viewed.at)).toBeLessThanOrEqual(openedBetween[1]);
    });

    it("lists only that pupil's entries", async () => {
      const response = await auditOf('head@riverside.example', riversidePupilId);
      expect(
        response.body.items.filter((item) => item.subjectType !== 'pupil' || item.subjectId !== riversidePupilId),
      ).toEqual([]);
    });

    it.each(['teacher@riverside.example', 'dsp@riverside.example'])(
      'refuses %s (403): their role may not read the audit log',
      async (email) => {
        const forPupil = await auditOf(email, riversidePupilId);
        expect(forPupil.status).toBe(403);
        expect(forPupil.body.items).toBeUndefined();
        expect((await testApp.as(email).get('/api/audit')).status).toBe(403);
      },
    );

    it("answers 404 to another school's head teacher, as if the pupil did not exist", async () => {
      const response = await auditOf('head@hillcrest.example', riversidePupilId);
      expect(response.status).toBe(404);
      expect(response.body.items).toBeUndefined();
    });

    it("shows the local authority's safeguarding lead none of the school's entries about the pupil", async () => {
      const response = await auditOf('lead@cardiff.example', riversidePupilId);
      expect(response.status).toBe(200);
      expect(
        response.body.items.filter((item) => item.actor.role !== 'la_mash' && item.actor.role !== 'la_early_help'),
      ).toEqual([]);
      expect(response.body.items).not.toContainEqual(
        expect.objectContaining({ actor: expect.objectContaining({ id: dspUserId }) }),
      );
    });
  });

  describe('verifying the chain from the command line', () => {
    const verify = () => {
      const run = spawnSync(process.execPath, [VERIFY_CLI], {
        cwd: PROJECT_ROOT,
        env: {
          ...process.env,
          NODE_ENV: 'test',
          DATABASE_URL: testApp.database.url,
          AUDIT_CHECKPOINT_FILE: testApp.config.audit.checkpointFile,
        },
        encoding: 'utf8',
        timeout: 60_000,
      });
      return { code: run.status, output: `${run.stdout}${run.stderr}` };
    };

    beforeAll(async () => {
      if (!existsSync(VERIFY_CLI)) {
        // A fresh clone has no dist/; build it once, as `npm run build` would (without emptying dist/ first).
        const build = spawnSync(
          process.execPath,
          [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
          { cwd: PROJECT_ROOT, encoding: 'utf8' },
        );
        if (build.status !== 0) throw new Error(`Could not build the audit CLI:\n${build.stdout}${build.stderr}`);
      }
      // Enough history that entry 2 and a middle entry exist whatever ran before.
      for (const email of ['dsp@riverside.example', 'head@riverside.example', 'teacher@riverside.example']) {
        expect((await testApp.as(email).get(`/api/pupils/${riversidePupilId}`)).status).toBe(200);
      }
      // The one timeout set outside jest.config.js: on a fresh clone this hook compiles the whole app.
    }, 180_000);

    it('reports an untouched log as intact', () => {
      const { code, output } = verify();
      expect(output).toMatch(/intact/i);
      expect(code).toBe(0);
    });

    it('names entry 2 when someone rewrites who did it, and is satisfied again once it is put back', async () => {
      const [{ actor_name: original }] = await testApp.dataSource.query<Array<{ actor_name: string }>>(
        'SELECT actor_name FROM audit_entries WHERE seq = 2',
      );
      await testApp.dataSource.query("UPDATE audit_entries SET actor_name = 'Someone else' WHERE seq = 2");

      const tampered = verify();
      expect(tampered.code).toBe(1);
      expect(tampered.output).toMatch(/BROKEN at entry 2\b/);
      expect(tampered.output).toMatch(/altered/);

      await testApp.dataSource.query(
        `UPDATE audit_entries SET actor_name = ${testApp.database.engine === 'postgres' ? '$1' : '?'} WHERE seq = 2`,
        [original],
      );
      expect(verify().code).toBe(0);
    });

    it('notices the newest entries deleted, against the last checkpoint, and names them', async () => {
      const checkpoint = await testApp.app.get(AuditCheckpointer).checkpoint();
      expect(checkpoint).not.toBeNull();
      const head = checkpoint!.seq;
      await testApp.dataSource.query(`DELETE FROM audit_entries WHERE seq >= ${head - 1}`);

      const { code, output } = verify();
      expect(code).toBe(1);
      expect(output).toContain(
        `entries ${head - 1}-${head}: removed from the end: the chain ends at entry ${head - 2}`,
      );
    });

    it('notices when an entry in the middle is deleted', async () => {
      const [{ count }] = await testApp.dataSource.query<Array<{ count: string | number }>>(
        'SELECT COUNT(*) AS count FROM audit_entries',
      );
      expect(Number(count)).toBeGreaterThanOrEqual(5);
      await testApp.dataSource.query('DELETE FROM audit_entries WHERE seq = 3');

      const { code, output } = verify();
      expect(code).toBe(1);
      expect(output).toMatch(/BROKEN at entry 4\b/);
      expect(output).toMatch(/removed/);
    });
  });
});
