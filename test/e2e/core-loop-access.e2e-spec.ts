import { AuditItem, ConcernDetail, Paged, withoutRequestId } from '../support/api';
import { bootTestApp, TestApp } from '../support/test-app';

/**
 * Who may read and act on concerns, referrals and chronologies, over HTTP with the demo accounts:
 * a matrix of role × organisation × record. A cell is the status the API answers. Anything a caller
 * may not see is a 404 (exactly as if it did not exist); a record they see but may not act on is a 403.
 * Actions that are allowed are probed so that they stop at a rule (422) and change nothing.
 */

const ACCOUNTS = {
  teacherR: 'teacher@riverside.example',
  dspR: 'dsp@riverside.example',
  headR: 'head@riverside.example',
  teacherH: 'teacher@hillcrest.example',
  dspH: 'dsp@hillcrest.example',
  headH: 'head@hillcrest.example',
  dspB: 'dsp@bridge.example',
  mash: 'mash@cardiff.example',
  earlyHelp: 'earlyhelp@cardiff.example',
  lead: 'lead@cardiff.example',
  admin: 'admin@cardiff.example',
} as const;
type Who = keyof typeof ACCOUNTS;
const EVERYONE = Object.keys(ACCOUNTS) as Who[];

/** Expected status per caller; everyone not named gets 404. */
const only = (cells: Partial<Record<Who, number>>): Record<Who, number> =>
  Object.fromEntries(EVERYONE.map((who) => [who, cells[who] ?? 404])) as Record<Who, number>;

interface Pupil {
  id: string;
  firstName: string;
  lastName: string;
}

describe('Access to the core loop (role × organisation × record)', () => {
  let testApp: TestApp;
  const pupils = {} as Record<'riverside' | 'riverside2' | 'hillcrest' | 'kai', Pupil>;
  const records = {} as Record<
    'teacherConcern' | 'dspConcern' | 'hillcrestConcern' | 'kaiConcern' | 'referredConcern',
    string
  >;
  let mashReferral: string;
  let earlyHelpReferral: string;
  let directEarlyHelpReferral: string;

  const get = <T = unknown>(who: Who, path: string) => testApp.as(ACCOUNTS[who]).get<T>(path);
  const post = (who: Who, path: string, body?: object) => testApp.as(ACCOUNTS[who]).post(path, body);
  const concern = (pupilId: string, fields: Record<string, unknown> = {}) => ({
    pupilId,
    occurredAt: new Date(Date.now() - 3600 * 1000).toISOString(),
    category: 'wellbeing',
    summary: 'Access matrix record',
    evidenceBasis: 'observed',
    ...fields,
  });
  const created = <T = { id: string }>(who: Who, path: string, body: object) =>
    testApp.as(ACCOUNTS[who]).created<T>(path, body);

  /** Runs `probe` for every caller and lists each cell whose status differs from `expected`. */
  const mismatches = async (
    label: string,
    expected: Record<Who, number>,
    probe: (who: Who) => Promise<{ status: number }>,
  ) => {
    const wrong: string[] = [];
    for (const who of EVERYONE) {
      const { status } = await probe(who);
      if (status !== expected[who]) wrong.push(`${label}: ${who} got ${status}, expected ${expected[who]}`);
    }
    return wrong;
  };

  beforeAll(async () => {
    testApp = await bootTestApp();
    const riverside: Pupil[] = await testApp.as(ACCOUNTS.dspR).pupils();
    const hillcrest: Pupil[] = await testApp.as(ACCOUNTS.dspH).pupils();
    const bridge: Pupil[] = await testApp.as(ACCOUNTS.dspB).pupils();
    const bridgeIds = new Set(bridge.map((p) => p.id));
    pupils.riverside = riverside[0];
    pupils.riverside2 = riverside[1];
    pupils.hillcrest = hillcrest.find((p) => !bridgeIds.has(p.id))!;
    pupils.kai = hillcrest.find((p) => p.firstName === 'Kai' && p.lastName === 'Morgan')!;
    expect(bridgeIds.has(pupils.kai.id)).toBe(true);

    records.teacherConcern = (await created('teacherR', '/api/concerns', concern(pupils.riverside.id))).id;
    records.dspConcern = (await created('dspR', '/api/concerns', concern(pupils.riverside.id))).id;
    records.hillcrestConcern = (await created('dspH', '/api/concerns', concern(pupils.hillcrest.id))).id;
    records.kaiConcern = (
      await created('teacherH', '/api/concerns', concern(pupils.kai.id, { summary: 'Recorded at the home school' }))
    ).id;
    records.referredConcern = (
      await created('dspR', '/api/concerns', concern(pupils.riverside2.id, { category: 'sexual' }))
    ).id;
    // A Hillcrest concern sent straight to early help: MASH never sees it.
    const toEarlyHelp = (
      await created(
        'dspH',
        '/api/concerns',
        concern(pupils.hillcrest.id, { category: 'wellbeing', issues: ['housing', 'young_carer'] }),
      )
    ).id;
    directEarlyHelpReferral = (
      await created('dspH', `/api/concerns/${toEarlyHelp}/escalations`, {
        route: 'early_help',
        consent: { sought: true, given: true, givenBy: 'Mother' },
      })
    ).id;
  });

  afterAll(() => testApp.close());

  const CONCERN_READERS = {
    teacherConcern: only({ teacherR: 200, dspR: 200, headR: 200 }),
    dspConcern: only({ dspR: 200, headR: 200 }),
    hillcrestConcern: only({ dspH: 200, headH: 200 }),
    // Kai Morgan: Hillcrest main, Bridge PRU dual. Both DSPs (and Hillcrest's head) see it; the teacher who recorded it too.
    kaiConcern: only({ teacherH: 200, dspH: 200, headH: 200, dspB: 200 }),
    referredConcern: only({ dspR: 200, headR: 200 }),
  };
  const CHRONOLOGY_READERS = {
    riverside: only({ dspR: 200, headR: 200 }),
    riverside2: only({ dspR: 200, headR: 200 }),
    hillcrest: only({ dspH: 200, headH: 200 }),
    kai: only({ dspH: 200, headH: 200, dspB: 200 }),
  };

  it('shows each concern exactly to those who may see it, before any referral', async () => {
    const wrong: string[] = [];
    for (const [record, expected] of Object.entries(CONCERN_READERS)) {
      wrong.push(
        ...(await mismatches(`GET concern ${record}`, expected, (who) =>
          get(who, `/api/concerns/${records[record as keyof typeof records]}`),
        )),
      );
      wrong.push(
        ...(await mismatches(`GET guidance ${record}`, expected, (who) =>
          get(who, `/api/concerns/${records[record as keyof typeof records]}/guidance`),
        )),
      );
    }
    expect(wrong).toEqual([]);
  });

  it('shows each chronology only to the DSPs and head teachers where the pupil is enrolled', async () => {
    const wrong: string[] = [];
    for (const [pupil, expected] of Object.entries(CHRONOLOGY_READERS)) {
      wrong.push(
        ...(await mismatches(`GET chronology ${pupil}`, expected, (who) =>
          get(who, `/api/pupils/${pupils[pupil as keyof typeof pupils].id}/chronology`),
        )),
      );
    }
    expect(wrong).toEqual([]);
  });

  it('answers a missing record exactly like a hidden one', async () => {
    const missing = await get('dspH', '/api/concerns/00000000-0000-4000-8000-000000000000');
    const hidden = await get('dspH', `/api/concerns/${records.teacherConcern}`);
    expect([missing.status, hidden.status]).toEqual([404, 404]);
    expect(withoutRequestId(hidden.body)).toEqual(withoutRequestId(missing.body));
    expect(JSON.stringify(hidden.body)).not.toContain('Access matrix record');
  });

  it('lets only DSPs decide, close and refer: 403 for the recorder and head teachers who see it, 404 for everyone else', async () => {
    // Close each record first (as its DSP), so an allowed action stops at the "closed" rule (422) and changes nothing.
    for (const [record, dsp] of [
      ['teacherConcern', 'dspR'],
      ['dspConcern', 'dspR'],
      ['hillcrestConcern', 'dspH'],
      ['kaiConcern', 'dspH'],
    ] as const) {
      await created(dsp, `/api/concerns/${records[record]}/close`, { rationale: 'Closed for the access matrix' });
    }
    const ACTORS = {
      teacherConcern: only({ teacherR: 403, dspR: 422, headR: 403 }),
      dspConcern: only({ dspR: 422, headR: 403 }),
      hillcrestConcern: only({ dspH: 422, headH: 403 }),
      kaiConcern: only({ teacherH: 403, dspH: 422, headH: 403, dspB: 422 }),
    };
    const wrong: string[] = [];
    for (const [record, expected] of Object.entries(ACTORS)) {
      const id = records[record as keyof typeof records];
      wrong.push(
        ...(await mismatches(`decide ${record}`, expected, (who) =>
          post(who, `/api/concerns/${id}/decision`, { outcome: 'monitor', rationale: 'Matrix probe' }),
        )),
      );
      wrong.push(
        ...(await mismatches(`close ${record}`, expected, (who) =>
          post(who, `/api/concerns/${id}/close`, { rationale: 'Matrix probe' }),
        )),
      );
      wrong.push(
        ...(await mismatches(`refer ${record}`, expected, (who) =>
          post(who, `/api/concerns/${id}/escalations`, {
            route: 'mash',
            reasonForRoute: 'Matrix probe with a long enough reason',
            consent: { sought: true, given: true },
          }),
        )),
      );
    }
    expect(wrong).toEqual([]);
    // Nothing was added by any probe.
    const detail = (await get<ConcernDetail>('dspR', `/api/concerns/${records.teacherConcern}`)).body;
    expect(detail).toMatchObject({ status: 'closed', decisions: [], escalations: [] });
  });

  it('lists the organisation’s concerns for its DSP and head teacher only', async () => {
    const wrong = await mismatches(
      'GET /api/concerns',
      only({
        teacherR: 403,
        dspR: 200,
        headR: 200,
        teacherH: 403,
        dspH: 200,
        headH: 200,
        dspB: 200,
        mash: 403,
        earlyHelp: 403,
        lead: 403,
        admin: 403,
      }),
      (who) => get(who, '/api/concerns'),
    );
    expect(wrong).toEqual([]);
    const riverside = (await get<Paged<{ id: string }>>('headR', '/api/concerns')).body.items.map((i) => i.id);
    expect(riverside).toEqual(
      expect.arrayContaining([records.teacherConcern, records.dspConcern, records.referredConcern]),
    );
    expect(riverside).not.toContain(records.hillcrestConcern);
    expect(riverside).not.toContain(records.kaiConcern);
  });

  describe('once a referral reaches the local authority', () => {
    beforeAll(async () => {
      mashReferral = (
        await created('dspR', `/api/concerns/${records.referredConcern}/escalations`, {
          route: 'mash',
          consent: { sought: true, given: true },
          referral: { parentalResponsibility: 'Both parents' },
        })
      ).id;
    });

    const REFERRAL_READERS = () => ({
      mash: only({ dspR: 200, headR: 200, mash: 200 }),
      directEarlyHelp: only({ dspH: 200, headH: 200, earlyHelp: 200 }),
    });

    it('shows MASH the concern and the referral, but never the chronology; early help still sees nothing', async () => {
      const wrong: string[] = [];
      wrong.push(
        ...(await mismatches('GET referred concern', only({ dspR: 200, headR: 200, mash: 200 }), (who) =>
          get(who, `/api/concerns/${records.referredConcern}`),
        )),
      );
      wrong.push(
        ...(await mismatches('GET chronology riverside2', CHRONOLOGY_READERS.riverside2, (who) =>
          get(who, `/api/pupils/${pupils.riverside2.id}/chronology`),
        )),
      );
      wrong.push(
        ...(await mismatches('GET pupil riverside2', only({ teacherR: 200, dspR: 200, headR: 200, mash: 200 }), (who) =>
          get(who, `/api/pupils/${pupils.riverside2.id}`),
        )),
      );
      wrong.push(
        ...(await mismatches('GET /api/escalations mash', REFERRAL_READERS().mash, (who) =>
          get(who, `/api/escalations/${mashReferral}`),
        )),
      );
      wrong.push(
        ...(await mismatches('GET /api/escalations direct early help', REFERRAL_READERS().directEarlyHelp, (who) =>
          get(who, `/api/escalations/${directEarlyHelpReferral}`),
        )),
      );
      for (const [label, id, team] of [
        ['mash', mashReferral, 'mash'],
        ['direct early help', directEarlyHelpReferral, 'earlyHelp'],
      ] as const) {
        // The local authority's own route: the receiving team only (school callers are left to their own route).
        for (const who of ['mash', 'earlyHelp', 'lead', 'admin', 'teacherR', 'teacherH', 'dspB'] as Who[]) {
          const { status } = await get(who, `/api/la/escalations/${id}`);
          if (status !== (who === team ? 200 : 404))
            wrong.push(`GET /api/la/escalations ${label}: ${who} got ${status}`);
        }
      }
      // The other concerns stay hidden from the local authority.
      for (const record of ['teacherConcern', 'dspConcern', 'hillcrestConcern', 'kaiConcern'] as const) {
        for (const who of ['mash', 'earlyHelp', 'lead', 'admin'] as Who[]) {
          const { status } = await get(who, `/api/concerns/${records[record]}`);
          if (status !== 404) wrong.push(`GET concern ${record}: ${who} got ${status}`);
        }
      }
      expect(wrong).toEqual([]);
    });

    it('lists referrals only for the team they were sent to', async () => {
      const wrong = await mismatches(
        'GET /api/la/escalations',
        only({
          teacherR: 403,
          dspR: 403,
          headR: 403,
          teacherH: 403,
          dspH: 403,
          headH: 403,
          dspB: 403,
          mash: 200,
          earlyHelp: 200,
          lead: 403,
          admin: 403,
        }),
        (who) => get(who, '/api/la/escalations'),
      );
      expect(wrong).toEqual([]);
      const mashIds = (await get<Paged<{ id: string }>>('mash', '/api/la/escalations')).body.items.map((i) => i.id);
      const earlyHelpIds = (await get<Paged<{ id: string }>>('earlyHelp', '/api/la/escalations')).body.items.map(
        (i) => i.id,
      );
      expect(mashIds).toContain(mashReferral);
      expect(mashIds).not.toContain(directEarlyHelpReferral);
      expect(earlyHelpIds).toContain(directEarlyHelpReferral);
      expect(earlyHelpIds).not.toContain(mashReferral);
    });

    it('lets only the receiving team act: early help gets 404 on a MASH referral, the school 403, others 404', async () => {
      const acting = only({ dspR: 403, headR: 403, mash: 422 });
      const wrong = [
        // An outcome of another route stops at the rules for MASH (422) and changes nothing.
        ...(await mismatches('outcome on mash referral', acting, (who) =>
          post(who, `/api/la/escalations/${mashReferral}/outcome`, { outcome: 'family_help', note: 'Matrix probe' }),
        )),
        ...(await mismatches('acknowledge mash referral', only({ dspR: 403, headR: 403, mash: 201 }), (who) =>
          post(who, `/api/la/escalations/${mashReferral}/acknowledge`),
        )),
        ...(await mismatches('acknowledge mash referral again', acting, (who) =>
          post(who, `/api/la/escalations/${mashReferral}/acknowledge`),
        )),
        ...(await mismatches(
          'outcome on direct early-help referral',
          only({ dspH: 403, headH: 403, earlyHelp: 422 }),
          (who) =>
            post(who, `/api/la/escalations/${directEarlyHelpReferral}/outcome`, {
              outcome: 'strategy_discussion',
              note: 'Matrix probe',
            }),
        )),
      ];
      expect(wrong).toEqual([]);
    });

    describe('after MASH redirects it to early help', () => {
      beforeAll(async () => {
        earlyHelpReferral = (
          await created<{ earlyHelpEscalationId: string }>('mash', `/api/la/escalations/${mashReferral}/outcome`, {
            outcome: 'redirect_early_help',
            note: 'Redirected',
          })
        ).earlyHelpEscalationId;
      });

      it('shows early help the concern and its own referral, never the MASH referral or the chronology', async () => {
        const wrong = [
          ...(await mismatches(
            'GET referred concern',
            only({ dspR: 200, headR: 200, mash: 200, earlyHelp: 200 }),
            (who) => get(who, `/api/concerns/${records.referredConcern}`),
          )),
          ...(await mismatches(
            'GET /api/escalations redirected',
            only({ dspR: 200, headR: 200, earlyHelp: 200 }),
            (who) => get(who, `/api/escalations/${earlyHelpReferral}`),
          )),
          ...(await mismatches('GET /api/escalations mash', REFERRAL_READERS().mash, (who) =>
            get(who, `/api/escalations/${mashReferral}`),
          )),
          ...(await mismatches('GET chronology riverside2', CHRONOLOGY_READERS.riverside2, (who) =>
            get(who, `/api/pupils/${pupils.riverside2.id}/chronology`),
          )),
        ];
        for (const who of ['earlyHelp', 'mash'] as Who[]) {
          const own = who === 'earlyHelp' ? earlyHelpReferral : mashReferral;
          const other = who === 'earlyHelp' ? mashReferral : earlyHelpReferral;
          if ((await get(who, `/api/la/escalations/${own}`)).status !== 200)
            wrong.push(`${who} cannot read its own referral`);
          for (const [label, response] of [
            ['get', await get(who, `/api/la/escalations/${other}`)],
            ['acknowledge', await post(who, `/api/la/escalations/${other}/acknowledge`)],
            [
              'outcome',
              await post(who, `/api/la/escalations/${other}/outcome`, { outcome: 'no_further_action', note: 'Probe' }),
            ],
          ] as const) {
            if (response.status !== 404) wrong.push(`${who} ${label} on the other team's referral: ${response.status}`);
          }
        }
        expect(wrong).toEqual([]);
      });

      it('shows MASH the concern with its own referral only, and early help with its own', async () => {
        const forMash = (await get<ConcernDetail>('mash', `/api/concerns/${records.referredConcern}`)).body;
        const forEarlyHelp = (await get<ConcernDetail>('earlyHelp', `/api/concerns/${records.referredConcern}`)).body;
        const forDsp = (await get<ConcernDetail>('dspR', `/api/concerns/${records.referredConcern}`)).body;
        expect(forMash.escalations.map((e) => e.id)).toEqual([mashReferral]);
        expect(forEarlyHelp.escalations.map((e) => e.id)).toEqual([earlyHelpReferral]);
        expect(forDsp.escalations.map((e) => e.id)).toEqual([mashReferral, earlyHelpReferral]);
      });
    });
  });

  it("lets the audit log show the head teacher who opened the school's concern and chronology, and no other school's head", async () => {
    await get('dspR', `/api/pupils/${pupils.riverside.id}/chronology`);
    const onConcern = await get<Paged<AuditItem>>(
      'headR',
      `/api/audit?subjectType=concern&subjectId=${records.teacherConcern}`,
    );
    expect(onConcern.status).toBe(200);
    expect(onConcern.body.items.map((i) => i.action)).toEqual(
      expect.arrayContaining(['concern.recorded', 'concern.viewed', 'concern.closed']),
    );
    const onPupil = await get<Paged<AuditItem>>(
      'headR',
      `/api/audit?subjectType=pupil&subjectId=${pupils.riverside.id}`,
    );
    expect(onPupil.body.items).toContainEqual(
      expect.objectContaining({
        action: 'chronology.viewed',
        actor: expect.objectContaining({ role: 'dsp', name: 'Siân Morgan' }),
      }),
    );
    expect((await get('headH', `/api/audit?subjectType=concern&subjectId=${records.teacherConcern}`)).status).toBe(404);
    expect((await get('dspR', `/api/audit?subjectType=concern&subjectId=${records.teacherConcern}`)).status).toBe(403);
  });
});
