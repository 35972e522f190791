import { AuditService } from '../../src/audit/audit.service';
import { Actor } from '../../src/common/actor';
import { ForbiddenError, NotFoundError } from '../../src/common/domain-error';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { Pupil } from '../../src/school/pupil.entity';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';

/**
 * Who may read whose audit trail (docs/security.md, "Who may read the audit trail"), as a matrix of
 * reader × organisation × record. Two local authorities: Cardiff with Riverside and Hillcrest, and Newport
 * with Bayside. Each entry is named by who made it and whom it is about.
 */
describe('Who may read the audit trail', () => {
  let testApp: TestApp;
  let audit: AuditService;
  const people: Record<string, Actor> = {};
  const pupils: Record<string, Pupil> = {};
  /** Entry label by subject id + actor id, so a listing reads back as labels. */
  const labels = new Map<string, string>();

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    audit = testApp.app.get(AuditService);
    const factory = new Factory(testApp.dataSource);
    const cardiff = await factory.localAuthority();
    const newport = await factory.localAuthority();
    const riverside = await factory.school(cardiff);
    const hillcrest = await factory.school(cardiff);
    const bayside = await factory.school(newport);
    people.riversideHead = await factory.actor(riverside, 'head_teacher');
    people.riversideDsp = await factory.actor(riverside, 'dsp');
    people.hillcrestHead = await factory.actor(hillcrest, 'head_teacher');
    people.hillcrestDsp = await factory.actor(hillcrest, 'dsp');
    people.cardiffLead = await factory.actor(cardiff, 'la_lead');
    people.cardiffMash = await factory.actor(cardiff, 'la_mash');
    people.newportLead = await factory.actor(newport, 'la_lead');
    people.baysideDsp = await factory.actor(bayside, 'dsp');
    pupils.ria = await factory.pupil(riverside);
    pupils.hal = await factory.pupil(hillcrest);
    pupils.bay = await factory.pupil(bayside);

    const unitOfWork = testApp.app.get(UnitOfWork);
    const entry = async (label: string, by: Actor, pupil: Pupil) => {
      labels.set(`${pupil.id}|${by.userId}`, label);
      await unitOfWork.run((manager) => audit.record(manager, by, 'pupil.viewed', { type: 'pupil', id: pupil.id }));
    };
    await entry('riverside DSP opened Ria', people.riversideDsp, pupils.ria);
    await entry('hillcrest DSP opened Hal', people.hillcrestDsp, pupils.hal);
    // MASH opened Ria after a referral from Riverside (the policy lets MASH see only referred pupils).
    await entry('cardiff MASH opened Ria', people.cardiffMash, pupils.ria);
    await entry('bayside DSP opened Bay', people.baysideDsp, pupils.bay);
  });

  afterAll(() => testApp.close());

  /** What `reader` gets for the whole log (no pupil) or one pupil's trail: labels, or the error's name. */
  const read = async (reader: string, pupil?: string): Promise<string[] | string> => {
    try {
      const query = pupil ? { subjectType: 'pupil', subjectId: pupils[pupil].id } : {};
      const items = await audit.list(people[reader], query);
      return items
        .map((item) => labels.get(`${item.subjectId}|${item.actor.id}`))
        .filter((label) => label !== undefined)
        .sort();
    } catch (error) {
      if (error instanceof NotFoundError) return '404';
      if (error instanceof ForbiddenError) return '403';
      throw error;
    }
  };

  it.each<[string, string | undefined, string[] | string]>([
    // A head teacher: their own staff's actions, and the whole trail of a pupil on their roll, whoever acted.
    ['riversideHead', undefined, ['riverside DSP opened Ria']],
    ['riversideHead', 'ria', ['cardiff MASH opened Ria', 'riverside DSP opened Ria']],
    ['riversideHead', 'hal', '404'],
    ['riversideHead', 'bay', '404'],
    ['hillcrestHead', undefined, ['hillcrest DSP opened Hal']],
    ['hillcrestHead', 'ria', '404'],
    // The LA lead: the local authority's own teams, never a school's staff, whichever pupil is asked about.
    ['cardiffLead', undefined, ['cardiff MASH opened Ria']],
    ['cardiffLead', 'ria', ['cardiff MASH opened Ria']],
    ['cardiffLead', 'hal', []],
    ['cardiffLead', 'bay', []],
    ['newportLead', undefined, []],
    ['newportLead', 'ria', []],
    // Roles without audit rights.
    ['riversideDsp', undefined, '403'],
    ['riversideDsp', 'ria', '403'],
    ['cardiffMash', undefined, '403'],
    ['cardiffMash', 'ria', '403'],
  ])('%s reading %s sees %j', async (reader, pupil, expected) => {
    expect(await read(reader, pupil)).toEqual(expected);
  });
});
