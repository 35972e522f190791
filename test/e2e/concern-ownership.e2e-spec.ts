import { randomUUID } from 'node:crypto';
import { ConcernDetail, ErrorBody, PupilSummary } from '../support/api';
import { bootTestApp, TestApp } from '../support/test-app';
import { csrfFieldOf, openPageSession } from '../support/web-session';

const HOME_DSP = 'dsp@hillcrest.example';
const PRU_DSP = 'dsp@bridge.example';
const DSPS = { home: HOME_DSP, pru: PRU_DSP } as const;
type Setting = keyof typeof DSPS;

/**
 * Kai Morgan is on Hillcrest High's roll and dual-registered at Bridge PRU. Both DSPs read every concern
 * about him and record their own; only the setting that recorded a concern decides, refers and closes
 * it (422 `concern_owned_by_other_organisation` for the other, which can see it), over the API and on
 * the pages.
 */
describe('Who owns a concern about a dual-registered pupil', () => {
  let testApp: TestApp;
  let kai: PupilSummary;

  const concernBody = (summary: string) => ({
    pupilId: kai.id,
    occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
    category: 'wellbeing',
    summary,
    evidenceBasis: 'observed',
  });
  const recordAt = (setting: Setting) =>
    testApp.as(DSPS[setting]).created<ConcernDetail>('/api/concerns', concernBody(`Kai, ${setting} ${randomUUID()}`));
  const ACTIONS: Record<'decide' | 'refer' | 'close', (id: string) => [string, object]> = {
    decide: (id: string) => [`/api/concerns/${id}/decision`, { outcome: 'monitor', rationale: 'Keep watching.' }],
    refer: (id: string) => [
      `/api/concerns/${id}/escalations`,
      { route: 'mash', consent: { sought: false, reasonNotSought: 'Asking would put Kai at further risk.' } },
    ],
    close: (id: string) => [`/api/concerns/${id}/close`, { rationale: 'Resolved.' }],
  };

  beforeAll(async () => {
    testApp = await bootTestApp();
    kai = await testApp.as(HOME_DSP).pupilNamed('Kai', 'Morgan');
  });

  afterAll(() => testApp.close());

  const matrix: Array<[Setting, Setting, keyof typeof ACTIONS, number]> = [];
  for (const recordedBy of ['home', 'pru'] as const)
    for (const actor of ['home', 'pru'] as const)
      for (const action of ['decide', 'refer', 'close'] as const)
        matrix.push([recordedBy, actor, action, recordedBy === actor ? 201 : 422]);

  it.each(matrix)(
    'a concern recorded by the %s setting: the %s DSP may %s? %p',
    async (recordedBy, actor, action, status) => {
      const concern = await recordAt(recordedBy);
      const [path, body] = ACTIONS[action](concern.id);
      const response = await testApp.as(DSPS[actor]).post<ErrorBody & { rule?: string }>(path, body);
      expect(response.status).toBe(status);
      const after = await testApp.as(DSPS[recordedBy]).read<ConcernDetail>(`/api/concerns/${concern.id}`);
      if (status === 422) {
        expect(response.body.rule).toBe('concern_owned_by_other_organisation');
        expect(after.status).toBe('awaiting_triage');
        expect([after.decisions.length, after.escalations.length]).toEqual([0, 0]);
      } else expect(after.status).not.toBe('awaiting_triage');
    },
  );

  it.each([
    ['home', 'pru'],
    ['pru', 'home'],
  ] as const)(
    "lets the %s setting's concern be read by the %s DSP, with the chronology, and that DSP record their own",
    async (recordedBy, reader) => {
      const concern = await recordAt(recordedBy);
      expect((await testApp.as(DSPS[reader]).get(`/api/concerns/${concern.id}`)).status).toBe(200);
      const chronology = await testApp
        .as(DSPS[reader])
        .read<{ entries: Array<{ concernId?: string }> }>(`/api/pupils/${kai.id}/chronology`);
      expect(chronology.entries.some((entry) => entry.concernId === concern.id)).toBe(true);
      const own = await recordAt(reader);
      const decided = await testApp
        .as(DSPS[reader])
        .post(`/api/concerns/${own.id}/decision`, { outcome: 'monitor', rationale: 'Ours to watch.' });
      expect(decided.status).toBe(201);
    },
  );

  describe('on the concern page', () => {
    it.each([
      ['en', 'Recorded by Hillcrest High', 'Record a concern of your own'],
      ['cy', 'Cofnodwyd gan', 'Cofnodi pryder eich hun'],
    ] as const)(
      'shows the PRU DSP (%s) who owns the concern and no decision, referral or close form',
      async (language, owner, recordOwn) => {
        const concern = await recordAt('home');
        const pru = await openPageSession(testApp, PRU_DSP, { language });
        const page = await pru.get(`/concerns/${concern.id}`);
        expect(page.status).toBe(200);
        expect(page.text).toContain('id="owned-elsewhere"');
        expect(page.text).toContain(owner);
        expect(page.text).toContain(recordOwn);
        expect(page.text).toContain(`href="/concerns/new?pupilId=${kai.id}"`);
        for (const form of ['decision', 'escalations', 'close'])
          expect(page.text).not.toContain(`action="/concerns/${concern.id}/${form}"`);

        const home = await openPageSession(testApp, HOME_DSP, { language });
        const own = await home.get(`/concerns/${concern.id}`);
        expect(own.text).not.toContain('id="owned-elsewhere"');
        for (const form of ['decision', 'escalations', 'close'])
          expect(own.text).toContain(`action="/concerns/${concern.id}/${form}"`);
      },
    );

    it('answers a decision posted by the PRU DSP anyway with a page that says why (422), recording nothing', async () => {
      const concern = await recordAt('home');
      const pru = await openPageSession(testApp, PRU_DSP, { language: 'cy' });
      const page = await pru.get(`/concerns/${concern.id}`);
      const response = await pru.post(
        `/concerns/${concern.id}/decision`,
        [
          ['reasonableCause', 'no'],
          ['outcome', 'monitor'],
          ['rationale', 'Trying anyway.'],
        ],
        csrfFieldOf(page.text),
      );
      expect(response.status).toBe(422);
      expect(response.text).toContain('dim ond y personau diogelu dynodedig yno');
      const after = await testApp.as(HOME_DSP).read<ConcernDetail>(`/api/concerns/${concern.id}`);
      expect(after.decisions).toHaveLength(0);
    });
  });
});
