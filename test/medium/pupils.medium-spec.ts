import { Actor } from '../../src/common/actor';
import { Organisation } from '../../src/organisations/organisation.entity';
import { PupilsService } from '../../src/school/pupils.service';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';

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

  it('finds pupils by part of a name in any case, or by whole UPN, in surname order', async () => {
    const a = await factory.pupil(school, { firstName: 'Gwen', lastName: 'Rees-Pritchard' });
    const b = await factory.pupil(school, { firstName: 'Tom', lastName: 'Pritchard', preferredName: 'Twm' });
    expect((await pupils.search(dsp, 'pritch')).map((p) => p.id)).toEqual([b.id, a.id]);
    expect((await pupils.search(dsp, 'TWM')).map((p) => p.id)).toEqual([b.id]);
    expect((await pupils.search(dsp, a.upn.toLowerCase())).map((p) => p.id)).toEqual([a.id]);
  });

  it('treats % and _ as ordinary characters', async () => {
    await factory.pupil(school, { lastName: 'Under_score' });
    expect(await pupils.search(dsp, '%')).toEqual([]);
    expect((await pupils.search(dsp, 'r_s')).map((p) => p.lastName)).toEqual(['Under_score']);
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
});
