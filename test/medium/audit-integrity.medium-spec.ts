import { appendFileSync, rmSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { MoreThanOrEqual } from 'typeorm';
import { ChainedFields, GENESIS_HASH, hashEntry, legacyHashEntry, PROBLEMS } from '../../src/audit/audit-chain';
import { AuditCheckpointer } from '../../src/audit/audit-checkpointer';
import { appendCheckpoint, checkpointDatabaseName, readCheckpoints } from '../../src/audit/audit-checkpoints';
import { AuditService } from '../../src/audit/audit.service';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain';
import { Actor } from '../../src/common/actor';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';
import { auditCaughtUp, auditEntries } from '../support/audit-chain';

/**
 * Someone who can write to the database (and not the key or the checkpoint file) tries to remove the
 * evidence of who read a child's file: each attempt is reported, with the entries it touched.
 */
describe('Audit log integrity: the keyed chain and its checkpoints', () => {
  let testApp: TestApp;
  let audit: AuditService;
  let unitOfWork: UnitOfWork;
  let checkpointer: AuditCheckpointer;
  let dsp: Actor;

  const entries = () => auditEntries(testApp);
  const record = async (count: number) => {
    for (let i = 0; i < count; i += 1)
      await unitOfWork.run((manager) => audit.record(manager, dsp, 'pupil.viewed', { type: 'pupil', id: `p-${i}` }));
  };
  /** The check `npm run audit:verify` makes: the chain with the app's key, against the app's checkpoint file. */
  const verify = async (key = testApp.config.audit.key) => {
    await auditCaughtUp(testApp); // the entries just recorded, on the chain (PostgreSQL chains behind the request)
    const file = await readCheckpoints(
      testApp.config.audit.checkpointFile,
      checkpointDatabaseName(testApp.config.database),
    );
    return verifyAuditChain(testApp.dataSource, { key, checkpoints: file.checkpoints, unreadable: file.unreadable });
  };
  /** Edits entry `seq` and re-hashes it and every later one with `hash`, as a forger with write access would. */
  const rewriteFrom = async (seq: number, hash: (fields: ChainedFields) => string, until = Infinity) => {
    const rows = (
      await (await entries()).find({ where: { seq: MoreThanOrEqual(seq - 1) }, order: { seq: 'ASC' } })
    ).filter((row) => row.seq <= until);
    let prevHash = rows[0].seq === seq ? GENESIS_HASH : rows.shift()!.hash;
    for (const row of rows) {
      const fields = { ...row, prevHash, actorName: row.seq === seq ? 'Someone else' : row.actorName };
      const rehashed = hash(fields);
      await (await entries()).update({ seq: row.seq }, { actorName: fields.actorName, prevHash, hash: rehashed });
      prevHash = rehashed;
    }
  };

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    audit = testApp.app.get(AuditService);
    unitOfWork = testApp.app.get(UnitOfWork);
    checkpointer = testApp.app.get(AuditCheckpointer);
    const factory = new Factory(testApp.dataSource);
    dsp = await factory.actor(await factory.school(await factory.localAuthority()), 'dsp');
  });

  afterAll(() => testApp.close());

  // Each test starts a new chain: no entries and no checkpoints.
  beforeEach(async () => {
    await (await entries()).createQueryBuilder().delete().execute();
    rmSync(testApp.config.audit.checkpointFile, { force: true });
  });

  it('verifies an untouched chain against its checkpoints', async () => {
    await record(5);
    expect(await checkpointer.checkpoint()).toEqual(expect.objectContaining({ seq: 5 }));
    await record(2);
    const result = await verify();
    expect(result.problems).toEqual([]);
    expect([result.checked, result.checkpoints, result.head?.seq]).toEqual([7, 1, 7]);
  });

  it('writes a checkpoint only when the head has moved', async () => {
    await record(3);
    expect(await checkpointer.checkpoint()).toEqual(expect.objectContaining({ seq: 3 }));
    expect(await checkpointer.checkpoint()).toBeNull();
    await record(1);
    expect(await checkpointer.checkpoint()).toEqual(expect.objectContaining({ seq: 4 }));
    const file = await readCheckpoints(
      testApp.config.audit.checkpointFile,
      checkpointDatabaseName(testApp.config.database),
    );
    expect(file.checkpoints.map((checkpoint) => checkpoint.seq)).toEqual([3, 4]);
  });

  it('reports the newest entries deleted, from the first missing one to the checkpointed head', async () => {
    await record(10);
    await checkpointer.checkpoint();
    await (await entries()).delete({ seq: MoreThanOrEqual(8) });

    const result = await verify();
    expect(result.problems).toEqual([
      { from: 8, to: 10, problem: expect.stringMatching(/^removed from the end: the chain ends at entry 7/) },
    ]);
  });

  it('reports the newest entries deleted even when the app has written new ones since', async () => {
    await record(6);
    await checkpointer.checkpoint();
    await (await entries()).delete({ seq: MoreThanOrEqual(4) });
    await record(5); // entries 4 to 8 again, but not the ones checkpointed
    expect((await verify()).problems).toEqual([
      { from: 1, to: 6, problem: expect.stringMatching(/^entry 6's HMAC is not the one checkpointed/) },
    ]);
  });

  it('reports every entry deleted', async () => {
    await record(4);
    await checkpointer.checkpoint();
    await (await entries()).createQueryBuilder().delete().execute();

    const result = await verify();
    expect(result.head).toBeNull();
    expect(result.problems).toEqual([{ from: 1, to: 4, problem: expect.stringMatching(/^every entry was deleted/) }]);
  });

  it('names the range an editor re-hashed with plain SHA-256', async () => {
    await record(3);
    await checkpointer.checkpoint();
    await record(7);
    await checkpointer.checkpoint();
    await rewriteFrom(5, legacyHashEntry);

    const { problems } = await verify();
    expect(problems).toContainEqual({ from: 5, to: 10, problem: PROBLEMS.legacyAfterKeyed });
    // The checkpoint at 3 still holds, the one at 10 does not: the rewrite is after entry 3.
    expect(problems).toContainEqual({ from: 4, to: 10, problem: expect.stringMatching(/^entry 10's HMAC is not/) });
  });

  it('catches a whole chain re-hashed with SHA-256 and continued by the app, which looks anchored, by its checkpoint', async () => {
    await record(4);
    await checkpointer.checkpoint();
    await rewriteFrom(1, legacyHashEntry);
    await record(2);

    const result = await verify();
    expect(result.legacy).toBe(4); // inside the database it looks like an older chain the app anchored
    expect(result.problems).toEqual([
      { from: 1, to: 4, problem: expect.stringMatching(/^entry 4's HMAC is not the one checkpointed/) },
    ]);
  });

  it('names the range an editor re-signed with a key of their own', async () => {
    await record(8);
    await rewriteFrom(3, (fields) => hashEntry('the-forgers-own-key-which-is-not-AUDIT_KEY', fields));
    expect((await verify()).problems).toEqual([{ from: 3, to: 8, problem: PROBLEMS.forged }]);
  });

  it('catches even a holder of the key who rewrites the chain, by its checkpoints', async () => {
    await record(4);
    await checkpointer.checkpoint();
    await record(4);
    await checkpointer.checkpoint();
    await rewriteFrom(6, (fields) => hashEntry(testApp.config.audit.key, fields));

    expect((await verify()).problems).toEqual([
      { from: 5, to: 8, problem: expect.stringMatching(/^entry 8's HMAC is not the one checkpointed/) },
    ]);
  });

  it('reports a checkpoint file someone edited: disagreeing checkpoints and lines that are not checkpoints', async () => {
    await record(3);
    const real = (await checkpointer.checkpoint())!;
    await appendCheckpoint(testApp.config.audit.checkpointFile, { ...real, hash: 'f'.repeat(64) });
    appendFileSync(testApp.config.audit.checkpointFile, 'seq 3 was fine\n');

    expect((await verify()).problems).toEqual([
      { from: 3, to: 3, problem: expect.stringMatching(/^checkpoints disagree about entry 3's HMAC/) },
      { from: 0, to: 0, problem: expect.stringMatching(/^checkpoint file line 3 is not a checkpoint/) },
    ]);
  });

  it('with the wrong key, reports every entry', async () => {
    await record(3);
    expect((await verify('not-the-key-this-chain-was-written-with')).problems).toEqual([
      { from: 1, to: 3, problem: PROBLEMS.forged },
    ]);
  });

  it('anchors a chain written before the key: its first keyed entry covers the older ones', async () => {
    // Three entries as the app wrote them before AUDIT_KEY: plain SHA-256.
    let prevHash = GENESIS_HASH;
    for (let seq = 1; seq <= 3; seq += 1) {
      const fields: ChainedFields = {
        seq,
        id: `00000000-0000-4000-8000-00000000000${seq}`,
        at: new Date(Date.UTC(2026, 10, 1, 9, seq)),
        actorUserId: dsp.userId,
        actorName: dsp.name,
        actorRole: dsp.role,
        actorOrganisationId: dsp.organisationId,
        action: 'pupil.viewed',
        subjectType: 'pupil',
        subjectId: `old-${seq}`,
        details: null,
        prevHash,
      };
      prevHash = legacyHashEntry(fields);
      await (await entries()).insert({ ...fields, details: null, hash: prevHash, pupilId: fields.subjectId });
    }
    expect((await verify()).problems).toEqual([
      { from: 1, to: 3, problem: expect.stringMatching(/^no entry is signed with the key/) },
    ]);

    await record(2);
    const anchored = await verify();
    expect(anchored.problems).toEqual([]);
    expect([anchored.legacy, anchored.checked]).toEqual([3, 5]);

    // An older entry rewritten now (re-hashed up to the anchor) breaks the anchor's link to it...
    await rewriteFrom(2, legacyHashEntry, 3);
    expect((await verify()).problems).toEqual([{ from: 4, to: 4, problem: PROBLEMS.unlinked }]);
    // ...and re-hashing the keyed entries too leaves a chain with no keyed entry at all.
    await rewriteFrom(4, legacyHashEntry);
    expect((await verify()).problems).toEqual([
      { from: 1, to: 5, problem: expect.stringMatching(/^no entry is signed with the key/) },
    ]);
  });

  it('writes the head at shutdown, to the file and the log', async () => {
    const other = await bootTestApp({ seedDemo: false });
    try {
      const factory = new Factory(other.dataSource);
      const head = await factory.actor(await factory.school(await factory.localAuthority()), 'head_teacher');
      const otherAudit = other.app.get(AuditService);
      await other.app
        .get(UnitOfWork)
        .run((manager) => otherAudit.record(manager, head, 'pupil.viewed', { type: 'pupil', id: 'p-1' }));
      const logged = jest.spyOn(Logger.prototype, 'log');
      await other.app.close();
      const file = await readCheckpoints(
        other.config.audit.checkpointFile,
        checkpointDatabaseName(other.config.database),
      );
      expect(file.checkpoints).toEqual([
        expect.objectContaining({ seq: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/) }),
      ]);
      expect(logged).toHaveBeenCalledWith(file.checkpoints[0]);
      logged.mockRestore();
    } finally {
      await other.database.drop();
      rmSync(other.config.audit.checkpointFile, { force: true });
    }
  });
});
