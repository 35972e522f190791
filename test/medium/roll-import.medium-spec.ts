import { IsNull } from 'typeorm';
import { Actor } from '../../src/common/actor';
import { DomainError } from '../../src/common/domain-error';
import { Organisation } from '../../src/organisations/organisation.entity';
import { Enrolment } from '../../src/school/enrolment.entity';
import { Pupil } from '../../src/school/pupil.entity';
import { PupilsService } from '../../src/school/pupils.service';
import { PupilContactDetails } from '../../src/school/roll/contact-details.entity';
import { RollImportService, RollMode, RollRowsRejectedError } from '../../src/school/roll/roll-import.service';
import { Factory } from '../support/factory';
import { rollCsv, rollCtf, RollRow, testUpn, wrongCheckLetter } from '../support/roll-files';
import { bootTestApp, TestApp } from '../support/test-app';

describe(RollImportService.name, () => {
  let testApp: TestApp;
  let service: RollImportService;
  let pupils: PupilsService;
  let factory: Factory;
  let la: Organisation;
  let school: Organisation;
  let otherSchool: Organisation;
  let head: Actor;
  let otherHead: Actor;

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    service = testApp.app.get(RollImportService);
    pupils = testApp.app.get(PupilsService);
    factory = new Factory(testApp.dataSource);
    la = await factory.localAuthority();
    school = await factory.school(la);
    otherSchool = await factory.school(la);
    head = await factory.actor(school, 'head_teacher');
    otherHead = await factory.actor(otherSchool, 'head_teacher');
  });

  afterAll(() => testApp.close());

  const run = (actor: Actor, at: Organisation, rows: RollRow[], mode: RollMode, dryRun: boolean) =>
    service.import(actor, at.id, { content: rollCsv(rows), format: 'csv', mode, dryRun });
  const row = (n: number, overrides: Partial<RollRow> = {}): RollRow => ({
    upn: testUpn('5001', n),
    surname: `Surname${n}`,
    forename: `Forename${n}`,
    dob: '2016-04-01',
    year: '5',
    ...overrides,
  });
  const currentRoll = async (at: Organisation) =>
    (await testApp.dataSource.getRepository(Enrolment).find({ where: { organisationId: at.id, endedOn: IsNull() } }))
      .length;

  it('adds, then leaves unchanged, then updates; a dry run changes nothing', async () => {
    const rows = [row(1), row(2, { address: { line1: '1 Stryd', town: 'Caerdydd', postcode: 'CF1 1AA' } })];
    const dry = await run(head, school, rows, 'full', true);
    expect(dry.summary).toEqual({ added: 2, updated: 0, unchanged: 0, left: 0, rejected: 0 });
    expect(await currentRoll(school)).toBe(0);
    expect((await run(head, school, rows, 'full', false)).summary.added).toBe(2);
    expect(await currentRoll(school)).toBe(2);
    expect((await run(head, school, rows, 'full', false)).summary.unchanged).toBe(2);
    const changed = [
      row(1, { year: '6' }),
      row(2, { address: { line1: '2 Stryd', town: 'Caerdydd', postcode: 'CF1 1AA' } }),
    ];
    const updated = await run(head, school, changed, 'full', false);
    expect(updated.summary).toEqual({ added: 0, updated: 2, unchanged: 0, left: 0, rejected: 0 });
    const pupil = await testApp.dataSource.getRepository(Pupil).findOneByOrFail({ upn: row(1).upn });
    expect(pupil.yearGroup).toBe(6);
  });

  it('full ends the enrolments of pupils not in the file (on the day, nothing deleted); partial never does', async () => {
    const partial = await run(head, school, [row(3)], 'partial', false);
    expect(partial.summary).toEqual({ added: 1, updated: 0, unchanged: 0, left: 0, rejected: 0 });
    expect(await currentRoll(school)).toBe(3);
    const full = await run(head, school, [row(3)], 'full', false);
    expect(full.summary).toMatchObject({ unchanged: 1, left: 2 });
    expect(await currentRoll(school)).toBe(1);
    const ended = await testApp.dataSource
      .getRepository(Enrolment)
      .createQueryBuilder('e')
      .where('e.organisation_id = :id AND e.ended_on IS NOT NULL', { id: school.id })
      .getMany();
    expect(ended).toHaveLength(2);
    expect(await testApp.dataSource.getRepository(Pupil).countBy({ upn: row(1).upn })).toBe(1);
  });

  it('refuses to apply a file with any rejected row (422), changing nothing', async () => {
    const before = await currentRoll(school);
    const bad = [row(4), row(5, { upn: wrongCheckLetter(row(5).upn) })];
    const dry = await run(head, school, bad, 'partial', true);
    expect(dry.rows.map((r) => r.action)).toEqual(['added', 'rejected']);
    await expect(run(head, school, bad, 'partial', false)).rejects.toBeInstanceOf(RollRowsRejectedError);
    expect(await currentRoll(school)).toBe(before);
    expect(await testApp.dataSource.getRepository(Pupil).countBy({ upn: row(4).upn })).toBe(0);
  });

  it('enrols a pupil another school of the LA already has, never a second pupil (CTF)', async () => {
    const known = await factory.pupil(otherSchool, { upn: testUpn('5001', 20), firstName: 'Known', lastName: 'Pupil' });
    const ctf = rollCtf(
      [row(20, { surname: 'Pupil', forename: 'Known', dob: known.dateOfBirth, year: '6', enrolStatus: 'S' })],
      {
        basicDetails: true,
      },
    );
    const answer = await service.import(head, school.id, {
      content: ctf,
      format: 'ctf',
      mode: 'partial',
      dryRun: false,
    });
    expect(answer.summary.added).toBe(1);
    expect(await testApp.dataSource.getRepository(Pupil).countBy({ upn: known.upn })).toBe(1);
    const enrolments = await testApp.dataSource
      .getRepository(Enrolment)
      .findBy({ pupilId: known.id, endedOn: IsNull() });
    expect(enrolments.map((e) => [e.organisationId, e.type]).sort()).toEqual(
      [
        [otherSchool.id, 'main'],
        [school.id, 'dual'],
      ].sort(),
    );
  });

  it("rejects a UPN known only to another local authority's schools", async () => {
    const otherLa = await factory.localAuthority();
    const elsewhere = await factory.school(otherLa);
    const stranger = await factory.pupil(elsewhere, { upn: testUpn('5001', 30) });
    const answer = await run(head, school, [row(30, { dob: stranger.dateOfBirth })], 'partial', true);
    expect(answer.rows[0]).toMatchObject({ action: 'rejected', problems: ['upn_other_authority'] });
  });

  it('keeps address and contacts readable only by DSPs and head teachers where the pupil is enrolled', async () => {
    const rows = [
      row(3, {
        address: { line1: '5 Heol', town: 'Cardiff', postcode: 'CF2 2BB' },
        contacts: [{ name: 'Mam Three', relationship: 'Mother', phone: '029', responsibility: 'Y' }],
      }),
    ];
    await run(head, school, rows, 'partial', false);
    const pupil = await testApp.dataSource.getRepository(Pupil).findOneByOrFail({ upn: row(3).upn });
    expect(await testApp.dataSource.getRepository(PupilContactDetails).countBy({ pupilId: pupil.id })).toBe(1);
    const dsp = await factory.actor(school, 'dsp');
    const staff = await factory.actor(school, 'staff');
    expect((await pupils.get(dsp, pupil.id)).contactDetails?.contacts[0].name).toBe('Mam Three');
    expect((await pupils.get(head, pupil.id)).contactDetails?.address?.postcode).toBe('CF2 2BB');
    expect(await pupils.get(staff, pupil.id)).not.toHaveProperty('contactDetails');
    expect(await pupils.contactDetails(staff, pupil.id)).toBeNull();
    // Another school's head does not see them (the pupil is not on that roll), nor does an admin.
    expect(await pupils.contactDetails(otherHead, pupil.id)).toBeNull();
    const admin = await factory.actor(la, 'admin');
    expect(await pupils.contactDetails(admin, pupil.id)).toBeNull();
  });

  it("never hands another school's pupil over by UPN alone: surname and date of birth must agree", async () => {
    const hillcrest = await factory.school(la);
    const riverside = await factory.school(la);
    const hillHead = await factory.actor(hillcrest, 'head_teacher');
    const riverDsp = await factory.actor(riverside, 'dsp');
    const upn = testUpn('5001', 60);
    const pupil = await factory.pupil(hillcrest, {
      upn,
      firstName: 'Siân',
      lastName: 'Ap Rhys',
      dateOfBirth: '2014-02-03',
      yearGroup: 6,
    });
    const own: RollRow = {
      upn,
      surname: 'Ap Rhys',
      forename: 'Siân',
      dob: '2014-02-03',
      year: '6',
      address: { line1: '3 Lôn Hir', town: 'Aberystwyth', postcode: 'SY23 1AA' },
      contacts: [{ name: 'Mam Siân', relationship: 'Mother', phone: '01970', responsibility: 'Y' }],
    };
    await run(hillHead, hillcrest, [own], 'partial', false);
    const fakeFather = [{ name: 'Not Dad', relationship: 'Father', phone: '07000', responsibility: 'Y' as const }];
    const attacks: RollRow[] = [
      { upn, surname: 'Jones', forename: 'Siân', dob: '2014-02-03', year: '6', contacts: fakeFather },
      { upn, surname: 'Ap Rhys', forename: 'Siân', dob: '2014-02-04', year: '6', contacts: fakeFather },
    ];
    for (const attack of attacks) {
      const dry = await run(riverDsp, riverside, [attack], 'partial', true);
      expect(dry.rows[0]).toMatchObject({ action: 'rejected', problems: ['upn_details_differ'] });
      await expect(run(riverDsp, riverside, [attack], 'partial', false)).rejects.toBeInstanceOf(RollRowsRejectedError);
    }
    expect(await currentRoll(riverside)).toBe(0);
    await expect(pupils.get(riverDsp, pupil.id)).rejects.toMatchObject({ code: 'not_found' });
    const unchanged = await testApp.dataSource.getRepository(Pupil).findOneByOrFail({ id: pupil.id });
    expect([unchanged.lastName, unchanged.dateOfBirth]).toEqual(['Ap Rhys', '2014-02-03']);

    // The right surname (case, accents and spaces aside) and date of birth: enrolled, but Hillcrest's
    // names stay, and Hillcrest's address and contacts are Hillcrest's alone.
    const right: RollRow = { upn, surname: 'AP  RHŶS', forename: 'Sian', dob: '2014-02-03', year: '6' };
    const dry = await run(riverDsp, riverside, [right], 'partial', true);
    expect(dry.rows[0]).toMatchObject({ action: 'added' });
    expect((await run(riverDsp, riverside, [right], 'partial', false)).rows[0].action).toBe('added');
    expect(await currentRoll(riverside)).toBe(1);
    const after = await testApp.dataSource.getRepository(Pupil).findOneByOrFail({ id: pupil.id });
    expect([after.firstName, after.lastName]).toEqual(['Siân', 'Ap Rhys']);
    expect(await pupils.contactDetails(riverDsp, pupil.id)).toBeNull();
    expect((await pupils.get(riverDsp, pupil.id)).contactDetails).toBeNull();
    // Riverside's own contacts go in Riverside's row; Hillcrest still reads its own.
    const again = await run(riverDsp, riverside, [{ ...right, contacts: fakeFather }], 'partial', false);
    expect(again.rows[0].action).toBe('updated');
    expect((await pupils.contactDetails(riverDsp, pupil.id))?.contacts[0].name).toBe('Not Dad');
    const forHillcrest = await pupils.contactDetails(hillHead, pupil.id);
    expect(forHillcrest?.contacts.map((contact) => contact.name)).toEqual(['Mam Siân']);
    expect(forHillcrest?.address?.postcode).toBe('SY23 1AA');
    expect((await testApp.dataSource.getRepository(Pupil).findOneByOrFail({ id: pupil.id })).firstName).toBe('Siân');
  });

  it('names the pupils a full import marks as left (from the roll) and rejected rows (as the file wrote them)', async () => {
    const alone = await factory.school(la);
    const aloneHead = await factory.actor(alone, 'head_teacher');
    const leaver = await factory.pupil(alone, { firstName: 'Gwen', lastName: 'Morgan' });
    const answer = await run(aloneHead, alone, [row(70, { upn: wrongCheckLetter(row(70).upn) })], 'full', true);
    expect(answer.rows).toEqual([
      expect.objectContaining({ action: 'rejected', firstName: 'Forename70', lastName: 'Surname70' }),
      expect.objectContaining({ action: 'left', upn: leaver.upn, firstName: 'Gwen', lastName: 'Morgan' }),
    ]);
  });

  it('answers 403 to another school and to staff, 404 for an organisation outside the LA', async () => {
    const staff = await factory.actor(school, 'staff');
    const status = (error: unknown) => (error instanceof DomainError ? error.code : error);
    await expect(run(otherHead, school, [row(40)], 'partial', true).catch(status)).resolves.toBe('forbidden');
    await expect(run(staff, school, [row(40)], 'partial', true).catch(status)).resolves.toBe('forbidden');
    const elsewhere = await factory.school(await factory.localAuthority());
    const admin = await factory.actor(la, 'admin');
    await expect(run(admin, elsewhere, [row(40)], 'partial', true).catch(status)).resolves.toBe('not_found');
    expect((await run(admin, school, [row(40)], 'partial', true)).summary.added).toBe(1);
  });
});
