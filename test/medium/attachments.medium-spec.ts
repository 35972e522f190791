import { createHash } from 'node:crypto';
import { ChronologyService } from '../../src/chronology/chronology.service';
import { Actor } from '../../src/common/actor';
import { ConcernAttachment } from '../../src/dsp/attachments/concern-attachment.entity';
import { ATTACHMENT_MAX_BYTES } from '../../src/dsp/attachments/attachment-file';
import { tinyExe, tinyPdf, tinyPng } from '../../src/dsp/attachments/attachment-test-helpers';
import { AttachmentsService } from '../../src/dsp/attachments/attachments.service';
import { ConcernsService } from '../../src/dsp/concerns/concerns.service';
import { Concern } from '../../src/dsp/concerns/concern.entity';
import { Organisation } from '../../src/organisations/organisation.entity';
import { Pupil } from '../../src/school/pupil.entity';
import { EnrolmentChanges } from '../../src/school/enrolment-changes';
import { londonDateOf } from '../../src/calendar/london-time';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';
import { auditEntries } from '../support/audit-chain';

/**
 * Files on a concern (API.md, Daily work) against a real, migrated database: the bytes come back as
 * they went in (blob on SQLite, bytea on PostgreSQL), and only those who may read the concern get them.
 */
describe(AttachmentsService.name, () => {
  let testApp: TestApp;
  let factory: Factory;
  let attachments: AttachmentsService;
  let concerns: ConcernsService;
  let chronology: ChronologyService;
  let school: Organisation;
  let other: Organisation;
  let dsp: Actor;
  let staff: Actor;
  let otherDsp: Actor;
  let officer: Actor;
  let pupil: Pupil;
  let concern: Concern;

  const rowsOf = (concernId: string) =>
    testApp.dataSource.getRepository(ConcernAttachment).count({ where: { concernId } });
  const auditOf = async (action: string) =>
    (await auditEntries(testApp)).find({ where: { action, subjectId: concern.id } });

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    factory = new Factory(testApp.dataSource);
    attachments = testApp.app.get(AttachmentsService);
    concerns = testApp.app.get(ConcernsService);
    chronology = testApp.app.get(ChronologyService);
    const la = await factory.localAuthority();
    school = await factory.school(la);
    other = await factory.school(la);
    dsp = await factory.actor(school, 'dsp');
    staff = await factory.actor(school, 'staff');
    otherDsp = await factory.actor(other, 'dsp');
    officer = await factory.actor(la, 'la_mash');
    pupil = await factory.pupil(school);
    concern = await factory.concern(pupil, staff);
  });

  afterAll(() => testApp?.close());

  it('stores the bytes in the database and gives back exactly those bytes, with their SHA-256', async () => {
    const pdf = tinyPdf('Body map notes');
    const added = await attachments.add(dsp, concern.id, { originalName: 'C:\\scans\\notes.pdf', bytes: pdf });
    expect(added).toEqual({
      id: expect.any(String),
      filename: 'notes.pdf',
      contentType: 'application/pdf',
      size: pdf.length,
      sha256: createHash('sha256').update(pdf).digest('hex'),
    });
    const file = await attachments.download(dsp, added.id);
    expect(file.contentType).toBe('application/pdf');
    expect(file.filename).toBe('notes.pdf');
    expect(Buffer.compare(file.bytes, pdf)).toBe(0);

    // Every byte value survives the round trip (a PNG has NULs and high bytes).
    const png = Buffer.concat([tinyPng(), Buffer.from([0, 255, 128, 0])]);
    const image = await attachments.add(staff, concern.id, { originalName: 'photo.png', bytes: png });
    expect(Buffer.compare((await attachments.download(staff, image.id)).bytes, png)).toBe(0);
  });

  it('lists the files on the concern read without their bytes, oldest first, with who added them', async () => {
    const read = await concerns.get(dsp, concern.id);
    expect(read.attachments.map((a) => a.filename)).toEqual(['notes.pdf', 'photo.png']);
    expect(read.attachments[0]).toEqual({
      id: expect.any(String),
      filename: 'notes.pdf',
      contentType: 'application/pdf',
      size: expect.any(Number),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      addedAt: expect.any(String),
      addedBy: { name: dsp.name, role: 'dsp' },
    });
    expect(read.attachments[0]).not.toHaveProperty('content');
  });

  it('audits each add and each download in the same transaction, naming the file', async () => {
    const added = await auditOf('attachment.added');
    expect(added).toHaveLength(2);
    expect(added[0].details).toMatchObject({
      pupilId: pupil.id,
      filename: 'notes.pdf',
      contentType: 'application/pdf',
    });
    const before = (await auditOf('attachment.viewed')).length;
    const [first] = (await concerns.get(dsp, concern.id)).attachments;
    await attachments.download(dsp, first.id);
    await attachments.download(dsp, first.id);
    const viewed = await auditOf('attachment.viewed');
    expect(viewed).toHaveLength(before + 2);
    expect(viewed.at(-1)!.details).toMatchObject({ attachmentId: first.id, pupilId: pupil.id });
  });

  it('is 404 to another organisation and to anyone else who cannot read the concern, adding or downloading', async () => {
    const [first] = (await concerns.get(dsp, concern.id)).attachments;
    for (const stranger of [otherDsp, officer]) {
      await expect(attachments.download(stranger, first.id)).rejects.toMatchObject({ code: 'not_found' });
    }
    await expect(
      attachments.add(otherDsp, concern.id, { originalName: 'x.pdf', bytes: tinyPdf() }),
    ).rejects.toMatchObject({ code: 'not_found' });
    // A role that may not record concerns is refused before anything is read.
    await expect(
      attachments.add(officer, concern.id, { originalName: 'x.pdf', bytes: tinyPdf() }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(attachments.download(dsp, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('refuses a program renamed .pdf (415), an empty file (400) and one over 10 MB (413), storing nothing', async () => {
    const before = await rowsOf(concern.id);
    await expect(
      attachments.add(dsp, concern.id, { originalName: 'invoice.pdf', bytes: tinyExe() }),
    ).rejects.toMatchObject({ code: 'unsupported_media_type' });
    await expect(
      attachments.add(dsp, concern.id, { originalName: 'empty.txt', bytes: Buffer.alloc(0) }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(
      attachments.add(dsp, concern.id, { originalName: 'big.txt', bytes: Buffer.alloc(ATTACHMENT_MAX_BYTES + 1, 'a') }),
    ).rejects.toMatchObject({ code: 'payload_too_large' });
    await expect(attachments.add(dsp, concern.id, { problem: 'too_large' })).rejects.toMatchObject({
      code: 'payload_too_large',
    });
    expect(await rowsOf(concern.id)).toBe(before);
    expect(await auditOf('attachment.added')).toHaveLength(before);
  });

  it('puts each file in the pupil’s chronology under its name', async () => {
    const entries = (await chronology.forPupil(dsp, pupil.id, {}, 'all')).entries.filter(
      (entry) => entry.kind === 'attachment_added',
    );
    expect(entries.map((entry) => entry.title)).toEqual(
      expect.arrayContaining([
        { key: 'attachments.chronology.added', params: { filename: 'notes.pdf' } },
        { key: 'attachments.chronology.added', params: { filename: 'photo.png' } },
      ]),
    );
    expect(entries[0].organisationId).toBe(school.id);
  });

  it('shows a school that transferred the pupil only the files added to another’s concern by the receipt', async () => {
    const la = await factory.localAuthority();
    const [mover, pru, next] = [await factory.school(la), await factory.pru(la), await factory.school(la)];
    const moverDsp = await factory.actor(mover, 'dsp');
    const pruDsp = await factory.actor(pru, 'dsp');
    const moved = await factory.pupil(mover);
    await factory.enrol(moved, pru, 'dual');
    const pruConcern = await factory.concern(moved, pruDsp);
    const before = await attachments.add(pruDsp, pruConcern.id, {
      originalName: 'before.txt',
      bytes: Buffer.from('a'),
    });
    const changes = testApp.app.get(EnrolmentChanges);
    const today = londonDateOf(new Date());
    await testApp.dataSource.transaction(async (manager) => {
      const [enrolment] = await changes.current(manager, moved.id, mover.id);
      await changes.start(manager, { pupilId: moved.id, organisationId: next.id, type: 'main', startedOn: today });
      await changes.end(manager, enrolment.id, londonDateOf(new Date(Date.now() - 86_400_000)));
      await changes.retain(manager, {
        pupilId: moved.id,
        organisationId: mover.id,
        until: new Date(),
        reason: 'transferred',
        sourceId: enrolment.id,
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const after = await attachments.add(pruDsp, pruConcern.id, { originalName: 'after.txt', bytes: Buffer.from('b') });
    const asKept = await concerns.get(moverDsp, pruConcern.id);
    expect(asKept.attachments.map((a) => a.filename)).toEqual(['before.txt']);
    await expect(attachments.download(moverDsp, before.id)).resolves.toMatchObject({ filename: 'before.txt' });
    await expect(attachments.download(moverDsp, after.id)).rejects.toMatchObject({ code: 'not_found' });
    // Reading only what it kept, the school adds nothing to the concern.
    await expect(
      attachments.add(moverDsp, pruConcern.id, { originalName: 'late.txt', bytes: Buffer.from('c') }),
    ).rejects.toMatchObject({ rule: 'pupil_not_on_roll' });
  });
});
