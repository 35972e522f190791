import { randomUUID } from 'node:crypto';
import { ConcernDetail, ErrorBody, Escalation, PupilSummary } from '../support/api';
import { bootTestApp, TestApp } from '../support/test-app';
import { csrfFieldOf, openPageSession, submissionKeyOf } from '../support/web-session';

const DSP = 'dsp@riverside.example';
const OTHER_DSP_SCHOOL = 'teacher@riverside.example';
const MASH = 'mash@cardiff.example';

type Fields = Array<[string, string]>;

/**
 * The same creation sent twice creates once (issue 10: a double-submitted form made two concerns):
 * over the API with an `Idempotency-Key`, and on the pages with each form's one-use token.
 */
describe('Double submissions', () => {
  let testApp: TestApp;
  let pupil: PupilSummary;

  const concernBody = (summary: string) => ({
    pupilId: pupil.id,
    occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
    category: 'wellbeing',
    summary,
    evidenceBasis: 'observed',
  });
  const withKey = (key: string) => ({ 'Idempotency-Key': key });
  const concernsWithSummary = async (summary: string) => {
    const rows = await testApp.dataSource.query<Array<{ n: number | string }>>(
      'SELECT COUNT(*) AS n FROM concerns WHERE summary = $1',
      [summary],
    );
    return Number(rows[0].n);
  };

  beforeAll(async () => {
    testApp = await bootTestApp();
    pupil = await testApp.as(DSP).pupilNamed('Osian', 'Williams');
  });

  afterAll(() => testApp.close());

  describe('over the API, with Idempotency-Key', () => {
    it('answers a repeat with the stored answer (same status and body, Idempotent-Replayed: true) and records one concern', async () => {
      const summary = `Retried by the client ${randomUUID()}`;
      const key = randomUUID();
      const body = concernBody(summary);
      const first = await testApp.as(DSP).post<ConcernDetail>('/api/concerns', body, withKey(key));
      const second = await testApp.as(DSP).post<ConcernDetail>('/api/concerns', body, withKey(key));
      expect(first.status).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(second.status).toBe(201);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.body).toEqual(first.body);
      expect(await concernsWithSummary(summary)).toBe(1);
    });

    it('records one concern for two identical requests sent at the same moment', async () => {
      const summary = `Double-clicked by a script ${randomUUID()}`;
      const key = randomUUID();
      const body = concernBody(summary);
      const answers = await Promise.all([
        testApp.as(DSP).post<ConcernDetail>('/api/concerns', body, withKey(key)),
        testApp.as(DSP).post<ConcernDetail>('/api/concerns', body, withKey(key)),
      ]);
      expect(answers.map((a) => a.status)).toEqual([201, 201]);
      expect(answers[1].body.id).toBe(answers[0].body.id);
      expect(await concernsWithSummary(summary)).toBe(1);
    });

    it('refuses the same key with a different body: 422 naming the rule, nothing recorded', async () => {
      const key = randomUUID();
      await testApp.as(DSP).created('/api/concerns', concernBody(`First ${key}`));
      expect((await testApp.as(DSP).post('/api/concerns', concernBody(`Keyed ${key}`), withKey(key))).status).toBe(201);
      const changed = await testApp
        .as(DSP)
        .post<ErrorBody & { rule: string }>('/api/concerns', concernBody(`Changed ${key}`), withKey(key));
      expect(changed.status).toBe(422);
      expect(changed.body.rule).toBe('idempotency_key_reused');
      expect(changed.body.errors).toHaveProperty('Idempotency-Key');
      expect(await concernsWithSummary(`Changed ${key}`)).toBe(0);
    });

    it("treats another person's same key as unrelated", async () => {
      const key = randomUUID();
      const summary = `Two people, one key ${key}`;
      const mine = await testApp.as(DSP).post<ConcernDetail>('/api/concerns', concernBody(summary), withKey(key));
      const theirs = await testApp
        .as(OTHER_DSP_SCHOOL)
        .post<ConcernDetail>('/api/concerns', concernBody(summary), withKey(key));
      expect([mine.status, theirs.status]).toEqual([201, 201]);
      expect(theirs.headers['idempotent-replayed']).toBeUndefined();
      expect(theirs.body.id).not.toBe(mine.body.id);
      expect(await concernsWithSummary(summary)).toBe(2);
    });

    it.each([
      ['empty', ''],
      ['201 characters', 'k'.repeat(201)],
      ['not ASCII', 'clé-1'],
      ['a tab (a control character)', 'key\tone'],
    ])('refuses a key that is %s with 400 naming the header, recording nothing', async (_, key) => {
      const summary = `Bad key ${randomUUID()}`;
      const response = await testApp
        .as(DSP)
        .post<ErrorBody>('/api/concerns', concernBody(summary), { 'Idempotency-Key': key });
      expect(response.status).toBe(400);
      expect(response.body.errors).toHaveProperty('Idempotency-Key');
      expect(await concernsWithSummary(summary)).toBe(0);
    });

    it('replays a decision, a referral, a closure and the team’s acknowledgement and outcome without a second record', async () => {
      const concern = await testApp
        .as(DSP)
        .created<ConcernDetail>('/api/concerns', concernBody(`Loop ${randomUUID()}`));
      const twice = async <T>(who: string, path: string, body: object | undefined) => {
        const key = randomUUID();
        const first = await testApp.as(who).post<T>(path, body, withKey(key));
        const second = await testApp.as(who).post<T>(path, body, withKey(key));
        expect([first.status, second.status]).toEqual([201, 201]);
        expect(second.headers['idempotent-replayed']).toBe('true');
        expect(second.body).toEqual(first.body);
        return first.body;
      };
      await twice(DSP, `/api/concerns/${concern.id}/decision`, { outcome: 'mash', rationale: 'Refer today.' });
      const referral = await twice<Escalation>(DSP, `/api/concerns/${concern.id}/escalations`, {
        route: 'mash',
        consent: { sought: false, reasonNotSought: 'Asking would put the child at further risk.' },
      });
      await twice(MASH, `/api/la/escalations/${referral.id}/acknowledge`, undefined);
      await twice(MASH, `/api/la/escalations/${referral.id}/outcome`, { outcome: 'no_further_action', note: 'Known.' });
      await twice(DSP, `/api/concerns/${concern.id}/close`, { rationale: 'MASH answered.' });

      const detail = await testApp.as(DSP).read<ConcernDetail>(`/api/concerns/${concern.id}`);
      expect(detail.decisions).toHaveLength(1);
      expect(detail.escalations).toHaveLength(1);
      expect(detail.status).toBe('closed');
    });
  });

  describe('on the pages, with the form’s one-use token', () => {
    const concernForm = (summary: string): Fields => [
      ['pupilId', pupil.id],
      ['occurredDate', '2026-01-15'],
      ['occurredTime', '10:30'],
      ['summary', summary],
      ['evidenceBasis', 'observed'],
      ['category', 'neglect'],
      ['action', 'record'],
    ];

    it('gives the record-a-concern form a fresh token on each load', async () => {
      const teacher = await openPageSession(testApp, OTHER_DSP_SCHOOL);
      const first = submissionKeyOf((await teacher.get(`/concerns/new?pupilId=${pupil.id}`)).text, '/concerns');
      const second = submissionKeyOf((await teacher.get(`/concerns/new?pupilId=${pupil.id}`)).text, '/concerns');
      expect(first).toMatch(/^[0-9a-f-]{36}$/);
      expect(second).toMatch(/^[0-9a-f-]{36}$/);
      expect(second).not.toBe(first);
    });

    it('records one concern when the same form is sent twice (a double click, or back and send again), both landing on it', async () => {
      const teacher = await openPageSession(testApp, OTHER_DSP_SCHOOL);
      const form = await teacher.get(`/concerns/new?pupilId=${pupil.id}`);
      const key = submissionKeyOf(form.text, '/concerns')!;
      const csrf = csrfFieldOf(form.text);
      const summary = `Sent twice from the page ${randomUUID()}`;
      const first = await teacher.post('/concerns', [...concernForm(summary), ['submissionKey', key]], csrf);
      // Back, change a word, send again: the form's token has been used, so it lands on the first concern.
      const again = await teacher.post('/concerns', [...concernForm(`${summary}!`), ['submissionKey', key]], csrf);
      expect(first.status).toBe(303);
      expect(first.headers.location).toMatch(/^\/concerns\/[0-9a-f-]{36}\?done=recorded$/);
      expect(again.status).toBe(303);
      expect(again.headers.location).toBe(first.headers.location);
      expect(await concernsWithSummary(summary)).toBe(1);
      expect(await concernsWithSummary(`${summary}!`)).toBe(0);
    });

    it('keeps the token while the form comes back with errors, so the corrected form still records once', async () => {
      const teacher = await openPageSession(testApp, OTHER_DSP_SCHOOL);
      const form = await teacher.get(`/concerns/new?pupilId=${pupil.id}`);
      const key = submissionKeyOf(form.text, '/concerns')!;
      const csrf = csrfFieldOf(form.text);
      const incomplete = await teacher.post(
        '/concerns',
        [
          ['pupilId', pupil.id],
          ['action', 'record'],
          ['submissionKey', key],
        ],
        csrf,
      );
      expect(incomplete.status).toBe(400);
      expect(submissionKeyOf(incomplete.text, '/concerns')).toBe(key);
      const summary = `Corrected then doubled ${randomUUID()}`;
      const sent = await Promise.all([
        teacher.post('/concerns', [...concernForm(summary), ['submissionKey', key]], csrf),
        teacher.post('/concerns', [...concernForm(summary), ['submissionKey', key]], csrf),
      ]);
      expect(sent.map((r) => r.status)).toEqual([303, 303]);
      expect(sent[1].headers.location).toBe(sent[0].headers.location);
      expect(await concernsWithSummary(summary)).toBe(1);
    });

    it.each([
      ['en', 'This form was already sent for something else'],
      ['cy', 'Anfonwyd y ffurflen hon eisoes ar gyfer rhywbeth arall'],
    ] as const)(
      'says plainly (%s) that a token used by another form cannot be used again, recording nothing',
      async (language, message) => {
        const dsp = await openPageSession(testApp, DSP, { language });
        const concern = await testApp
          .as(DSP)
          .created<ConcernDetail>('/api/concerns', concernBody(`Token reuse ${randomUUID()}`));
        const page = await dsp.get(`/concerns/${concern.id}`);
        const key = submissionKeyOf(page.text, `/concerns/${concern.id}/decision`)!;
        const csrf = csrfFieldOf(page.text);
        const decided = await dsp.post(
          `/concerns/${concern.id}/decision`,
          [
            ['reasonableCause', 'no'],
            ['outcome', 'monitor'],
            ['rationale', 'Watch and wait.'],
            ['submissionKey', key],
          ],
          csrf,
        );
        expect(decided.status).toBe(303);
        const closed = await dsp.post(
          `/concerns/${concern.id}/close`,
          [
            ['closeRationale', 'Sent with the decision form’s token.'],
            ['submissionKey', key],
          ],
          csrf,
        );
        expect(closed.status).toBe(422);
        expect(closed.text).toContain(message);
        expect((await testApp.as(DSP).read<ConcernDetail>(`/api/concerns/${concern.id}`)).status).toBe('open');
      },
    );

    it("gives the team's acknowledge and outcome forms tokens: sent twice, each records once", async () => {
      const concern = await testApp.as(DSP).created<ConcernDetail>('/api/concerns', concernBody(`LA ${randomUUID()}`));
      const referral = await testApp.as(DSP).created<Escalation>(`/api/concerns/${concern.id}/escalations`, {
        route: 'mash',
        consent: { sought: false, reasonNotSought: 'Asking would put the child at further risk.' },
      });
      const mash = await openPageSession(testApp, MASH);
      const page = `/la/escalations/${referral.id}`;
      for (const [action, fields, done] of [
        [`${page}/acknowledge`, [] as Fields, 'acknowledged'],
        [
          `${page}/outcome`,
          [
            ['outcome', 'no_further_action'],
            ['note', 'Known to us already.'],
          ] as Fields,
          'decided',
        ],
      ] as const) {
        const opened = await mash.get(page);
        const key = submissionKeyOf(opened.text, action);
        expect(key).toMatch(/^[0-9a-f-]{36}$/);
        const csrf = csrfFieldOf(opened.text);
        const answers = [
          await mash.post(action, [...fields, ['submissionKey', key!]], csrf),
          await mash.post(action, [...fields, ['submissionKey', key!]], csrf),
        ];
        for (const answer of answers) {
          expect(answer.status).toBe(303);
          expect(answer.headers.location).toBe(`${page}?done=${done}`);
        }
      }
      const rows = await testApp.dataSource.query<Array<{ a: number | string; o: number | string }>>(
        `SELECT (SELECT COUNT(*) FROM escalation_acknowledgements WHERE escalation_id = $1) AS a,
                (SELECT COUNT(*) FROM escalation_outcomes WHERE escalation_id = $1) AS o`,
        [referral.id],
      );
      expect([Number(rows[0].a), Number(rows[0].o)]).toEqual([1, 1]);
    });
  });
});
