import { randomUUID } from 'node:crypto';
import { isValidUpn } from '../../src/school/upn';
import { bootTestApp, TestApp } from '../support/test-app';
import { ErrorBody, InboxItem, Paged, PupilSummary, withoutRequestId } from '../support/api';
import { openPageSession, PageSession } from '../support/web-session';
import { Factory } from '../support/factory';
import { Organisation } from '../../src/organisations/organisation.entity';

describe('Pupil rolls and records', () => {
  let testApp: TestApp;
  const rolls: Record<'riverside' | 'hillcrest' | 'bridge', PupilSummary[]> = {
    riverside: [],
    hillcrest: [],
    bridge: [],
  };
  const organisationIds: Record<'riverside' | 'hillcrest' | 'bridge', string> = {
    riverside: '',
    hillcrest: '',
    bridge: '',
  };
  const dsp = {
    riverside: 'dsp@riverside.example',
    hillcrest: 'dsp@hillcrest.example',
    bridge: 'dsp@bridge.example',
  } as const;

  const list = (email: string, query: Record<string, string> = {}) =>
    testApp.as(email).get<Paged<PupilSummary> & ErrorBody>('/api/pupils', query);
  const open = (email: string, id: string) => testApp.as(email).get<PupilSummary>(`/api/pupils/${id}`);
  const byName = (roll: PupilSummary[], firstName: string, lastName: string) => {
    const pupil = roll.find((p) => p.firstName === firstName && p.lastName === lastName);
    if (!pupil) throw new Error(`${firstName} ${lastName} is not on the roll`);
    return pupil;
  };

  beforeAll(async () => {
    testApp = await bootTestApp();
    for (const school of ['riverside', 'hillcrest', 'bridge'] as const) {
      organisationIds[school] = (await testApp.as(dsp[school]).me()).organisationId;
      rolls[school] = await testApp.as(dsp[school]).pupils();
    }
  });

  afterAll(() => testApp.close());

  describe('who sees which pupils', () => {
    it("shows each school's DSP their own roll of at least 10 pupils, with valid UPNs, and none of the other school's", () => {
      for (const school of ['riverside', 'hillcrest'] as const) {
        const roll = rolls[school];
        expect(roll.length).toBeGreaterThanOrEqual(10);
        expect(roll.filter((pupil) => !isValidUpn(pupil.upn)).map((pupil) => pupil.upn)).toEqual([]);
        expect(
          roll.filter((pupil) => !pupil.enrolments.some((e) => e.organisationId === organisationIds[school])),
        ).toEqual([]);
      }
      const riversideIds = new Set(rolls.riverside.map((pupil) => pupil.id));
      expect(rolls.hillcrest.filter((pupil) => riversideIds.has(pupil.id))).toEqual([]);
    });

    it("answers 404 for the other school's pupil, exactly as for a pupil that does not exist", async () => {
      const pairs = [
        { viewer: dsp.riverside, pupil: rolls.hillcrest[0] },
        { viewer: dsp.hillcrest, pupil: rolls.riverside[0] },
      ];
      for (const { viewer, pupil } of pairs) {
        const other = await open(viewer, pupil.id);
        const missing = await open(viewer, randomUUID());
        expect(other.status).toBe(404);
        expect(missing.status).toBe(404);
        expect(withoutRequestId(other.body)).toEqual(withoutRequestId(missing.body));
        expect(JSON.stringify(other.body)).not.toContain(pupil.lastName);
      }
    });

    it('lets each DSP open a pupil on their own roll', async () => {
      const pupil = rolls.riverside[0];
      const response = await open(dsp.riverside, pupil.id);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        id: pupil.id,
        upn: pupil.upn,
        firstName: pupil.firstName,
        lastName: pupil.lastName,
      });
    });

    it("shows the Hillcrest pupil dual-registered at Bridge PRU to both Bridge's and Hillcrest's DSPs", async () => {
      const dual = rolls.bridge.filter((pupil) =>
        pupil.enrolments.some((e) => e.organisationId === organisationIds.bridge && e.type === 'dual'),
      );
      expect(dual).toHaveLength(1);
      const [kai] = dual;
      expect(kai).toMatchObject({ firstName: 'Kai', lastName: 'Morgan' });
      expect(kai.enrolments).toEqual(
        expect.arrayContaining([
          { organisationId: organisationIds.hillcrest, type: 'main' },
          { organisationId: organisationIds.bridge, type: 'dual' },
        ]),
      );
      expect(rolls.hillcrest.map((pupil) => pupil.id)).toContain(kai.id);

      for (const viewer of [dsp.bridge, dsp.hillcrest]) {
        const response = await open(viewer, kai.id);
        expect(response.status).toBe(200);
        expect(response.body.enrolments).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              organisationId: organisationIds.bridge,
              type: 'dual',
              organisationName: 'Bridge PRU',
            }),
          ]),
        );
      }
    });

    it("does not show Bridge PRU the rest of Hillcrest's roll", async () => {
      const bridgeIds = new Set(rolls.bridge.map((pupil) => pupil.id));
      const hillcrestOnly = rolls.hillcrest.filter(
        (pupil) => !pupil.enrolments.some((e) => e.organisationId === organisationIds.bridge),
      );
      expect(hillcrestOnly.length).toBeGreaterThan(0);
      expect(hillcrestOnly.filter((pupil) => bridgeIds.has(pupil.id))).toEqual([]);
      expect((await open(dsp.bridge, hillcrestOnly[0].id)).status).toBe(404);
    });

    it.each(['lead@cardiff.example', 'admin@cardiff.example'])(
      'gives %s an empty list and 404 for every pupil',
      async (email) => {
        const response = await list(email);
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ items: [], page: 1, pageSize: 50, total: 0 });
        for (const pupil of [rolls.riverside[0], rolls.hillcrest[0], rolls.bridge[0]]) {
          expect((await open(email, pupil.id)).status).toBe(404);
        }
      },
    );

    it.each([
      ['mash@cardiff.example', 'mash'],
      ['earlyhelp@cardiff.example', 'early_help'],
    ])('shows %s exactly the pupils referred to their team, and 404 for every other pupil', async (email, route) => {
      const response = await list(email);
      expect(response.status).toBe(200);
      const inbox = await testApp.as(email).read<Paged<InboxItem>>('/api/la/escalations');
      const referred = new Set<string>(inbox.items.filter((item) => item.route === route).map((item) => item.pupil.id));
      expect(referred.size).toBeGreaterThan(0);
      expect(new Set(response.body.items.map((p) => p.id))).toEqual(referred);
      const everyone = [...rolls.riverside, ...rolls.hillcrest, ...rolls.bridge];
      for (const pupil of everyone.filter((p) => !referred.has(p.id))) {
        expect((await open(email, pupil.id)).status).toBe(404);
      }
      for (const pupilId of referred) expect((await open(email, pupilId)).status).toBe(200);
    });
  });

  describe('searching the roll', () => {
    it('finds pupils by part of a surname, whatever the case, on the searcher’s own roll only', async () => {
      const response = await list(dsp.riverside, { q: 'hAsS' });
      expect(response.status).toBe(200);
      expect(response.body.items.map((p) => `${p.firstName} ${p.lastName}`).sort()).toEqual([
        'Amira Hassan',
        'Yusuf Hassan',
      ]);

      // Rhys Jones is at Hillcrest: Riverside's search for "jones" finds only Ffion.
      const jones = await list(dsp.riverside, { q: 'JONES' });
      expect(jones.body.items.map((p) => `${p.firstName} ${p.lastName}`)).toEqual(['Ffion Jones']);
    });

    it('finds a pupil by their whole UPN', async () => {
      const pupil = byName(rolls.hillcrest, 'Chloe', 'Davies');
      const response = await list(dsp.hillcrest, { q: pupil.upn });
      expect(response.status).toBe(200);
      expect(response.body.items.map((p) => p.id)).toEqual([pupil.id]);
    });

    it("does not find another school's pupil by UPN", async () => {
      const pupil = byName(rolls.hillcrest, 'Chloe', 'Davies');
      const response = await list(dsp.riverside, { q: pupil.upn });
      expect(response.status).toBe(200);
      expect(response.body.items).toEqual([]);
    });

    it.each(['%', '_', 'o%n'])('treats %p in a search as a literal character, not a wildcard', async (q) => {
      const response = await list(dsp.riverside, { q });
      expect(response.status).toBe(200);
      expect(response.body.items).toEqual([]);
    });

    it('rejects a search holding a control character', async () => {
      const response = await list(dsp.riverside, { q: 'Jo\u0001nes' });
      expect(response.status).toBe(400);
      expect(response.body.errors?.q).toEqual([expect.any(String)]);
    });

    it('rejects an unknown query parameter', async () => {
      const response = await list(dsp.riverside, { school: 'hillcrest' });
      expect(response.status).toBe(400);
      expect(response.body.errors).toHaveProperty('school');
    });
  });

  describe('the pupil pages', () => {
    let browser: PageSession;
    beforeAll(async () => {
      browser = await openPageSession(testApp, dsp.hillcrest);
    });
    const page = (path: string) => browser.get(path);

    it('lists the roll, with names escaped', async () => {
      const response = await page('/pupils');
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/text\/html/);
      expect(response.text).toContain('Davies, Chloe');
      expect(response.text).toContain('O&#x27;Connor, Sam');
      expect(response.text).not.toContain("O'Connor");
      expect(response.text).toContain(`${rolls.hillcrest.length} pupils`);
      expect(response.text).not.toContain('Hassan');
    });

    it('shows search results on the page', async () => {
      const response = await page('/pupils?q=morgan');
      expect(response.status).toBe(200);
      expect(response.text).toContain('Morgan, Kai');
      expect(response.text).not.toContain('Davies, Chloe');
    });

    it("shows a pupil's record, with their name escaped", async () => {
      const sam = byName(rolls.hillcrest, 'Sam', "O'Connor");
      const response = await page(`/pupils/${sam.id}`);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/text\/html/);
      expect(response.text).toContain('Sam O&#x27;Connor');
      expect(response.text).not.toContain("O'Connor");
      expect(response.text).toContain(sam.upn);
    });

    it("shows the not-found page for another school's pupil", async () => {
      const amira = byName(rolls.riverside, 'Amira', 'Hassan');
      const response = await page(`/pupils/${amira.id}`);
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toMatch(/text\/html/);
      expect(response.text).toContain('Page not found');
      expect(response.text).not.toContain('Hassan');
    });
  });

  describe('paging and search at scale (issue 9)', () => {
    it('pages the roll with the true total, every pupil reachable once', async () => {
      const roll = rolls.hillcrest;
      const seen: string[] = [];
      for (let page = 1; page <= Math.ceil(roll.length / 4); page += 1) {
        const response = await list(dsp.hillcrest, { page: String(page), pageSize: '4' });
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ page, pageSize: 4, total: roll.length });
        seen.push(...response.body.items.map((p) => p.id));
      }
      expect(seen).toEqual(roll.map((p) => p.id));
      const defaults = await list(dsp.hillcrest);
      expect(defaults.body).toMatchObject({ page: 1, pageSize: 50, total: roll.length });
    });

    it.each([
      [{ page: '0' }, 'page'],
      [{ page: 'two' }, 'page'],
      [{ pageSize: '0' }, 'pageSize'],
      [{ pageSize: '201' }, 'pageSize'],
      [{ pageSize: '2.5' }, 'pageSize'],
    ])('rejects paging %p with 400 naming %s', async (query, field) => {
      const response = await list(dsp.riverside, query);
      expect(response.status).toBe(400);
      expect(response.body.errors).toHaveProperty(field);
    });

    it('finds "first last", a first name, and a surname start, case and accents ignored', async () => {
      const names = async (q: string) =>
        (await list(dsp.riverside, { q })).body.items.map((p) => `${p.firstName} ${p.lastName}`).sort();
      expect(await names('amira has')).toEqual(['Amira Hassan']);
      expect(await names('AMÍRA')).toEqual(['Amira Hassan']);
      expect(await names('yusuf')).toEqual(['Yusuf Hassan']);
      expect(await names('assan')).toEqual([]);
    });

    it('pages the list page with govuk pagination in English and Welsh, showing the true count', async () => {
      const hillcrest = await testApp.dataSource.getRepository(Organisation).findOneByOrFail({
        id: organisationIds.hillcrest,
      });
      const factory = new Factory(testApp.dataSource);
      for (let n = 1; n <= 50; n += 1)
        await factory.pupil(hillcrest, { firstName: 'Paged', lastName: `Zzpager${String(n).padStart(2, '0')}` });
      const total = rolls.hillcrest.length + 50;
      const browser = await openPageSession(testApp, dsp.hillcrest);
      const first = await browser.get('/pupils');
      expect(first.status).toBe(200);
      expect(first.text).toContain(`${total} pupils`);
      expect(first.text).toContain(`Showing 1 to 50 of ${total}`);
      expect(first.text).toContain('class="govuk-pagination"');
      expect(first.text.replace(/&#x3D;/g, '=')).toContain('href="/pupils?page=2"');
      const second = await browser.get('/pupils?page=2&lang=cy');
      expect(second.status).toBe(200);
      expect(second.text).toContain('Zzpager50, Paged');
      expect(second.text).not.toContain('Davies, Chloe');
      expect(second.text).toContain('Blaenorol');
      expect(second.text).toContain(`Yn dangos 51 i ${total} o ${total}`);
      const searched = await browser.get('/pupils?q=zzpager');
      expect(searched.text).toContain('50 pupils matching');
      expect(searched.text).toContain('Zzpager50, Paged');
      expect(searched.text).not.toContain('class="govuk-pagination"');
      expect((await browser.get('/pupils?page=0')).status).toBe(400);
    });
  });
});
