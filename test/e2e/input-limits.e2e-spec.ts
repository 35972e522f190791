import { ApiClient, Concern, ErrorBody } from '../support/api';
import { bootTestApp, TestApp } from '../support/test-app';

describe('Input at the limits', () => {
  let testApp: TestApp;
  let pupilId: string;
  let teacher: ApiClient;

  beforeAll(async () => {
    testApp = await bootTestApp();
    teacher = testApp.as('teacher@riverside.example');
    pupilId = (await teacher.pupils({ q: 'okafor' }))[0].id;
  });

  afterAll(() => testApp.close());

  it('stores a concern with every long field at its maximum, in Welsh', async () => {
    const longWelsh = 'Dywedodd ŵyr ŷd âêîôûŵŷ. '.repeat(400).slice(0, 10000);
    const response = await teacher.post<Concern>('/api/concerns', {
      pupilId,
      occurredAt: new Date().toISOString(),
      category: 'wellbeing',
      summary: longWelsh,
      childsWords: longWelsh,
      childsWordsLanguage: 'cy',
      actionTaken: longWelsh,
      evidenceBasis: 'disclosed_by_child',
      bodyMap: Array.from({ length: 50 }, (_, i) => ({
        view: i % 2 ? 'back' : 'front',
        x: 0.5,
        y: i / 50,
        note: 'ŵ'.repeat(500),
      })),
    });
    expect(response.status).toBe(201);
    expect(response.body.summary).toBe(longWelsh);
  });

  it('treats a summary of only spaces as empty, and stores nothing', async () => {
    const response = await teacher.post<ErrorBody>('/api/concerns', {
      pupilId,
      occurredAt: new Date().toISOString(),
      category: 'wellbeing',
      summary: '   ',
      evidenceBasis: 'observed',
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual({ summary: ['summary must not be empty'] });
  });
});
