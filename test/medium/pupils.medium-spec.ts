import { Actor } from '../../src/common/actor';
import { Organisation } from '../../src/organisations/organisation.entity';
import { rebuildPupilSearch } from '../../src/school/pupil-search';
import { PupilsService } from '../../src/school/pupils.service';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';
import { auditEntries } from '../support/audit-chain';

describe(PupilsService.name, () => {
  let testApp: TestApp;
  let pupils: PupilsService;
  let factory: Factory;
  let school: Organisation;
  let otherSchool: Organisation;
  let dsp: Actor;

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    pupils = testApp.app.get(PupilsService);
    factory = new Factory(testApp.dataSource);
    const la = await factory.localAuthority();
    school = await factory.school(la);
    otherSchool = await factory.school(la);
    dsp = await factory.actor(school, 'dsp');
  });

  afterAll(() => testApp.close());

  const ids = async (actor: Actor, q?: string) => (await pupils.search(actor, q)).items.map((p) => p.id);

  it('finds pupils by the start of a name in any case, or by whole UPN, in surname order', async () => {
    const a = await factory.pupil(school, { firstName: 'Gwen', lastName: 'Rees-Pritchard' });
    const b = await factory.pupil(school, { firstName: 'Tom', lastName: 'Pritchard', preferredName: 'Twm' });
    expect(await ids(dsp, 'pritch')).toEqual([b.id, a.id]);
    expect(await ids(dsp, 'REES')).toEqual([a.id]);
    expect(await ids(dsp, 'TWM')).toEqual([b.id]);
    expect(await ids(dsp, 'gw')).toEqual([a.id]);
    expect(await ids(dsp, a.upn.toLowerCase())).toEqual([a.id]);
    // The middle of a name is not a match.
    expect(await ids(dsp, 'itchard')).toEqual([]);
  });

  it('finds "first last" and ignores accents, whichever side has them', async () => {
    const sian = await factory.pupil(school, { firstName: 'Siân', lastName: 'Ôwen' });
    const sion = await factory.pupil(school, { firstName: 'Sion', lastName: 'Owens' });
    expect(await ids(dsp, 'sian')).toEqual([sian.id]);
    expect(await ids(dsp, 'Siân ow')).toEqual([sian.id]);
    expect(await ids(dsp, 'sion  owe')).toEqual([sion.id]);
    expect((await ids(dsp, 'owen')).sort()).toEqual([sian.id, sion.id].sort());
    expect(await ids(dsp, 'sian owens')).toEqual([]);
  });

  it('treats % and _ as ordinary characters', async () => {
    await factory.pupil(school, { lastName: 'Under_score' });
    expect(await ids(dsp, '%')).toEqual([]);
    expect((await pupils.search(dsp, 'under_s')).items.map((p) => p.lastName)).toEqual(['Under_score']);
    expect(await ids(dsp, 'under%')).toEqual([]);
  });

  it('never finds a pupil at another school, by name or UPN', async () => {
    const elsewhere = await factory.pupil(otherSchool, { firstName: 'Elsewhere', lastName: 'Zzyzx' });
    expect(await ids(dsp, 'zzyzx')).toEqual([]);
    expect(await ids(dsp, elsewhere.upn)).toEqual([]);
    await expect(pupils.get(dsp, elsewhere.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('pages the whole roll by surname with the true total: the 201st pupil is on page 2 of 200', async () => {
    const la = await factory.localAuthority();
    const big = await factory.school(la);
    const bigDsp = await factory.actor(big, 'dsp');
    for (let n = 1; n <= 205; n++)
      await factory.pupil(big, { firstName: 'Pupil', lastName: `Roll${String(n).padStart(3, '0')}` });
    const first = await pupils.search(bigDsp, undefined, { page: 1, pageSize: 200 });
    expect(first).toMatchObject({ page: 1, pageSize: 200, total: 205 });
    expect(first.items).toHaveLength(200);
    const second = await pupils.search(bigDsp, undefined, { page: 2, pageSize: 200 });
    expect(second.items.map((p) => p.lastName)).toEqual(['Roll201', 'Roll202', 'Roll203', 'Roll204', 'Roll205']);
    expect(second.total).toBe(205);
    const beyond = await pupils.search(bigDsp, undefined, { page: 3, pageSize: 200 });
    expect(beyond).toMatchObject({ items: [], total: 205 });
    const searched = await pupils.search(bigDsp, 'roll2', { pageSize: 2 });
    expect(searched.total).toBe(6);
    expect(searched.items.map((p) => p.lastName)).toEqual(['Roll200', 'Roll201']);
  });

  it('finds pupils written before the search columns once they are rebuilt', async () => {
    const late = await factory.pupil(school, { firstName: 'Bethan', lastName: 'Llŷr' });
    await testApp.dataSource.query(
      'UPDATE pupils SET search_first_name = NULL, search_last_name = NULL, search_full_name = NULL WHERE id = ' +
        (testApp.database.engine === 'postgres' ? '$1' : '?'),
      [late.id],
    );
    expect(await ids(dsp, 'llyr')).toEqual([]);
    expect(await rebuildPupilSearch(testApp.dataSource.manager)).toBe(1);
    expect(await ids(dsp, 'llyr')).toEqual([late.id]);
    expect(await ids(dsp, 'bethan ll')).toEqual([late.id]);
  });

  it("shows siblings on the same roll, never a sibling's record at a school the caller cannot see", async () => {
    const household = await factory.household();
    const elder = await factory.pupil(school, { householdId: household.id, dateOfBirth: '2012-01-01' });
    const younger = await factory.pupil(school, { householdId: household.id, dateOfBirth: '2016-01-01' });
    const elsewhere = await factory.pupil(otherSchool, { householdId: household.id });
    const detail = await pupils.get(dsp, younger.id);
    expect(detail.siblings.map((s) => s.id)).toEqual([elder.id]);
    expect(JSON.stringify(detail)).not.toContain(elsewhere.id);
  });

  it('stops showing a pupil who has left the roll', async () => {
    const leaver = await factory.pupil(school, { endedOn: '2026-07-20' });
    await expect(pupils.get(dsp, leaver.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it("audits a local-authority team's pupil search without the words typed: a name stays out of the permanent log", async () => {
    const mash = await factory.actor(await factory.localAuthority(), 'la_mash');
    await pupils.search(mash, '  Okafor-Llewellyn ');
    const [entry] = await (
      await auditEntries(testApp)
    ).find({ where: { action: 'pupil_list.viewed', actorUserId: mash.userId }, order: { seq: 'DESC' }, take: 1 });
    expect(entry.details).toEqual({
      searched: true,
      termLength: 'Okafor-Llewellyn'.length,
      matches: 0,
      page: 1,
      pupilIds: [],
    });
    expect(JSON.stringify(entry)).not.toMatch(/okafor|llewellyn/i);

    await pupils.search(mash);
    const [unfiltered] = await (
      await auditEntries(testApp)
    ).find({ where: { action: 'pupil_list.viewed', actorUserId: mash.userId }, order: { seq: 'DESC' }, take: 1 });
    expect(unfiltered.details).toEqual(expect.objectContaining({ searched: false, termLength: 0 }));
  });
});
