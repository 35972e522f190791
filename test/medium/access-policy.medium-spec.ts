import { AccessPolicy } from '../../src/access/access-policy';
import { Actor } from '../../src/common/actor';
import { Organisation } from '../../src/organisations/organisation.entity';
import { Role } from '../../src/common/roles';
import { Pupil } from '../../src/school/pupil.entity';
import { PupilsService } from '../../src/school/pupils.service';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';

/**
 * The access matrix: every role, in each kind of organisation, against each kind of pupil record.
 * A cell is "sees" or "404"; there is no third answer for pupil data.
 */
describe('AccessPolicy (role × organisation × record)', () => {
  let testApp: TestApp;
  let policy: AccessPolicy;
  let pupilsService: PupilsService;
  const orgs = {} as Record<'la' | 'otherLa' | 'schoolA' | 'schoolB' | 'pru', Organisation>;
  const pupils = {} as Record<'atA' | 'atB' | 'dualBAndPru' | 'leftA' | 'unenrolled' | 'atPruOnly', Pupil>;

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    policy = testApp.app.get(AccessPolicy);
    pupilsService = testApp.app.get(PupilsService);
    const factory = new Factory(testApp.dataSource);
    orgs.la = await factory.localAuthority();
    orgs.otherLa = await factory.localAuthority();
    orgs.schoolA = await factory.school(orgs.la);
    orgs.schoolB = await factory.school(orgs.la);
    orgs.pru = await factory.pru(orgs.la);
    pupils.atA = await factory.pupil(orgs.schoolA);
    pupils.atB = await factory.pupil(orgs.schoolB);
    pupils.dualBAndPru = await factory.pupil(orgs.schoolB);
    await factory.enrol(pupils.dualBAndPru, orgs.pru, 'dual');
    pupils.leftA = await factory.pupil(orgs.schoolA, { endedOn: '2026-07-20' });
    pupils.unenrolled = await factory.pupil(null);
    pupils.atPruOnly = await factory.pupil(orgs.pru);
    actors.length = 0;
    for (const [orgKey, roles] of Object.entries(ROLES_BY_ORGANISATION)) {
      for (const role of roles)
        actors.push({ key: `${role}@${orgKey}`, actor: await factory.actor(orgs[orgKey as keyof typeof orgs], role) });
    }
  });

  afterAll(() => testApp.close());

  const ROLES_BY_ORGANISATION: Record<string, Role[]> = {
    schoolA: ['staff', 'dsp', 'head_teacher'],
    schoolB: ['staff', 'dsp', 'head_teacher'],
    pru: ['staff', 'dsp', 'head_teacher'],
    la: ['la_mash', 'la_early_help', 'la_lead', 'admin'],
  };
  const actors: Array<{ key: string; actor: Actor }> = [];

  // Which pupils each actor sees; everything else is a 404.
  const EXPECTED: Record<string, Array<keyof typeof pupils>> = {
    schoolA: ['atA'],
    schoolB: ['atB', 'dualBAndPru'],
    pru: ['dualBAndPru', 'atPruOnly'],
    la: [],
  };

  it('matches the matrix for every role, organisation and record', async () => {
    const allIds = Object.values(pupils).map((p) => p.id);
    const mismatches: string[] = [];
    for (const { key, actor } of actors) {
      const orgKey = key.split('@')[1];
      const visible = await policy.visiblePupilIds(actor, allIds);
      for (const [recordKey, pupil] of Object.entries(pupils)) {
        const expected = EXPECTED[orgKey].includes(recordKey as keyof typeof pupils);
        if (visible.has(pupil.id) !== expected)
          mismatches.push(`${key} ${expected ? 'should see' : 'should not see'} ${recordKey}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(actors).toHaveLength(13);
  });

  it('answers "not found", never "forbidden", when a pupil is not visible, through the service too', async () => {
    const dspA = actors.find((a) => a.key === 'dsp@schoolA')!.actor;
    await expect(pupilsService.get(dspA, pupils.atB.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(pupilsService.get(dspA, 'no-such-id')).rejects.toMatchObject({
      code: 'not_found',
      message: 'Pupil not found',
    });
    const admin = actors.find((a) => a.key === 'admin@la')!.actor;
    await expect(pupilsService.get(admin, pupils.atA.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('lists only the visible pupils in a search', async () => {
    const pruDsp = actors.find((a) => a.key === 'dsp@pru')!.actor;
    const listed = await pupilsService.search(pruDsp);
    expect(listed.total).toBe(2);
    expect(listed.items.map((p) => p.id).sort()).toEqual([pupils.dualBAndPru.id, pupils.atPruOnly.id].sort());
    const mash = actors.find((a) => a.key === 'la_mash@la')!.actor;
    expect(await pupilsService.search(mash)).toMatchObject({ items: [], total: 0 });
  });

  it('lets only head teachers and the LA lead read the audit log', () => {
    const allowed = actors.filter(({ actor }) => policy.may(actor, 'audit.read')).map(({ key }) => key.split('@')[0]);
    expect([...new Set(allowed)].sort()).toEqual(['head_teacher', 'la_lead']);
  });
});
