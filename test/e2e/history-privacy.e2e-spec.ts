import { GuidanceAnswer } from '../support/api';
import { bootTestApp, TestApp } from '../support/test-app';

/**
 * Guidance counts a pupil's history only for those who may read the pupil's chronology. Staff and
 * local-authority teams get guidance from the concern alone, so it cannot tell them about concerns
 * and referrals they may not see.
 */
describe('Guidance and the pupil history it may reveal', () => {
  let testApp: TestApp;
  let pupilId: string;

  beforeAll(async () => {
    testApp = await bootTestApp();
    const dsp = testApp.as('dsp@riverside.example');
    pupilId = (await dsp.pupils({ q: 'okafor' }))[0].id;
    for (const category of ['sexual', 'physical']) {
      const concern = await dsp.post<{ id: string }>('/api/concerns', {
        pupilId,
        occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
        category,
        summary: 'Seen and recorded',
        evidenceBasis: 'observed',
      });
      expect(concern.status).toBe(201);
      const referral = await dsp.post(`/api/concerns/${concern.body.id}/escalations`, {
        route: 'mash',
        reasonForRoute: 'Worried enough to ask MASH today',
        consent: { sought: true, given: true },
      });
      expect(referral.status).toBe(201);
    }
  });

  afterAll(() => testApp.close());

  const evaluate = (email: string) =>
    testApp
      .as(email)
      .post<GuidanceAnswer>('/api/guidance/evaluate', { category: 'wellbeing', issues: [], indicators: [], pupilId });

  it('shows the DSP and the head teacher the history triggers', async () => {
    for (const email of ['dsp@riverside.example', 'head@riverside.example']) {
      const answer = await evaluate(email);
      expect(answer.status).toBe(200);
      expect(answer.body.triggers.map((t) => t.code)).toEqual(
        expect.arrayContaining(['pattern_frequency', 'pattern_categories', 'repeat_mash']),
      );
      expect(answer.body.level).toBe(4);
    }
  });

  it('gives a teacher guidance from the draft alone, naming no categories of other concerns', async () => {
    const answer = await evaluate('teacher@riverside.example');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ level: 1, triggers: [], chronologyReviewAdvised: false });
    expect(JSON.stringify(answer.body)).not.toMatch(/Sexual abuse|Physical abuse/);
  });

  it('gives the MASH team, who can see the referred pupil, no history either', async () => {
    const answer = await evaluate('mash@cardiff.example');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ level: 1, triggers: [] });
  });
});
