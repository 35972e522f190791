import { Response } from 'supertest';
import { Concern, PupilSummary } from '../support/api';
import { bootTestApp, TestApp } from '../support/test-app';
import { openPageSession, PageSession } from '../support/web-session';

const TEACHER = 'teacher@riverside.example';
const DSP = 'dsp@riverside.example';

type Fields = Array<[string, string]>;
type ConcernWithLanguage = Concern & { childsWords: string | null; childsWordsLanguageName: string | null };

/** The visible text of a page: no markup, scripts or templates (the 999 banner's template is not shown). */
const textOf = (html: string) =>
  html
    .replace(/<(script|style|template)[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/\s+/g, ' ');

/** The HTML of the element with `id`, up to its matching closing tag (div or section). */
function elementById(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  if (start < 0) return '';
  const open = html.lastIndexOf('<', start);
  const tag = /^<([a-z]+)/.exec(html.slice(open))![1];
  let depth = 0;
  const pattern = new RegExp(`<(/?)${tag}\\b`, 'g');
  pattern.lastIndex = open;
  for (let match = pattern.exec(html); match; match = pattern.exec(html)) {
    depth += match[1] ? -1 : 1;
    if (depth === 0) return html.slice(open, html.indexOf('>', match.index) + 1);
  }
  return html.slice(open);
}

/**
 * Issue 8, fixes to "Record a concern": "Call 999 now" beside the ticks with no category needed, the
 * staff member's guidance (give it to the DSP; never "Send a MASH referral from this system"), and
 * "Another language": which one, kept and shown on the concern page, the referral and the chronology.
 */
describe('Record a concern: the 999 banner, the staff wording and "which language?" (pages and API)', () => {
  let testApp: TestApp;
  let osian: PupilSummary;

  const formFields = (pupilId: string, extra: Fields): Fields => [
    ['pupilId', pupilId],
    ['occurredDate', '2026-01-15'],
    ['occurredTime', '10:30'],
    ['summary', 'Osian said something worrying at break.'],
    ['evidenceBasis', 'disclosed_by_child'],
    ...extra,
  ];
  const formOf = (pupilId: string) => `/concerns/new?pupilId=${pupilId}`;
  const checkGuidance = (session: PageSession, fields: Fields) =>
    session.submit(formOf(osian.id), '/concerns', formFields(osian.id, [...fields, ['action', 'checkGuidance']]));

  const concernBody = (overrides: Record<string, unknown> = {}) => ({
    pupilId: osian.id,
    occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
    category: 'wellbeing',
    summary: 'Osian told his friend something in Polish that worried her.',
    evidenceBasis: 'reported_by_other',
    childsWords: 'Nie chcę iść do domu.',
    childsWordsLanguage: 'other',
    ...overrides,
  });

  beforeAll(async () => {
    testApp = await bootTestApp();
    osian = await testApp.as(DSP).pupilNamed('Osian', 'Williams');
  });

  afterAll(() => testApp.close());

  describe('"Call 999 now" beside the emergency ticks, without JavaScript', () => {
    it('is drawn inside the emergency box, right after the ticks, when one is ticked and no category is chosen', async () => {
      const teacher = await openPageSession(testApp, TEACHER, { language: 'en' });
      const empty = await teacher.get(formOf(osian.id));
      expect(elementById(empty.text, 'emergency-call')).not.toContain('role="alert"');

      const checked = await checkGuidance(teacher, [['indicators', 'suicidal_intent']]);
      expect(checked.status).toBe(200);
      // No "choose a category" error: the answer to an emergency is the banner.
      expect(checked.text).not.toContain('govuk-error-summary');
      const box = elementById(checked.text, 'emergency-indicators');
      const call = elementById(box, 'emergency-call');
      expect(call).toContain('role="alert"');
      expect(textOf(call)).toContain('Call 999 now');
      // Right after the last emergency tick, before the box closes.
      expect(box.indexOf('value="suicidal_intent"')).toBeLessThan(box.indexOf('id="emergency-call"'));
      expect(textOf(elementById(checked.text, 'guidance-panel'))).toContain(
        'Call 999 now: a child may be in immediate danger.',
      );
    });

    it('is also drawn when the form comes back for any other reason (a mark added, an error)', async () => {
      const teacher = await openPageSession(testApp, TEACHER, { language: 'en' });
      const response = await teacher.submit(
        formOf(osian.id),
        '/concerns',
        formFields(osian.id, [
          ['indicators', 'child_missing_now'],
          ['action', 'record'],
        ]),
      );
      expect(response.status).toBe(400); // no category
      expect(elementById(response.text, 'emergency-call')).toContain('role="alert"');
    });

    it('still asks for a category when nothing urgent is ticked', async () => {
      const teacher = await openPageSession(testApp, TEACHER, { language: 'en' });
      const response = await checkGuidance(teacher, [['issues', 'bullying']]);
      expect(response.status).toBe(400);
      expect(response.text).toContain('Choose a category to see the guidance');
      expect(elementById(response.text, 'emergency-call')).not.toContain('role="alert"');
    });
  });

  describe("the guidance panel's own words", () => {
    const statutory: Fields = [
      ['category', 'physical'],
      ['indicators', 'injury_suspected_non_accidental'],
    ];

    it('tells a teacher to give the concern to the DSP now, and never to send a MASH referral themselves', async () => {
      const teacher = await openPageSession(testApp, TEACHER, { language: 'en' });
      const response = await checkGuidance(teacher, statutory);
      expect(response.status).toBe(200);
      const panel = textOf(elementById(response.text, 'guidance-panel'));
      expect(panel).toContain('MASH');
      expect(panel).not.toMatch(/Send a MASH referral|from this system|How to get it/);
      expect(panel).toContain('What you do now');
      expect(panel).toContain('Give this concern to your designated safeguarding person (DSP) now');
      expect(panel).toContain('If no DSP can be reached and you think the child is at risk, you may report to MASH');
      expect(panel).toContain('In an emergency, call 999 first.');
      expect(panel).not.toContain('you can always refer to MASH');
      // The labels the live panel draws from say the same.
      const labels = /data-labels="([^"]*)"/.exec(response.text)![1].replace(/&quot;/g, '"');
      expect(JSON.parse(labels.replace(/&#x27;/g, "'"))).toMatchObject({ forStaff: true });
    });

    it('says the same in Welsh', async () => {
      const teacher = await openPageSession(testApp, TEACHER, { language: 'cy' });
      const response = await checkGuidance(teacher, statutory);
      const panel = textOf(elementById(response.text, 'guidance-panel'));
      expect(panel).toContain("Beth i'w wneud nawr");
      expect(panel).toContain("Rhowch y pryder hwn i'ch person diogelu dynodedig nawr");
      expect(panel).toContain("gallwch roi gwybod i'r Hyb Diogelu Amlasiantaethol eich hun");
      expect(panel).not.toMatch(/o'r system hon|Sut i'w gael/);
      expect(panel).not.toMatch(/What you do now|Give this concern/);
    });

    it("keeps the DSP's own wording: how to get each service", async () => {
      const dsp = await openPageSession(testApp, DSP, { language: 'en' });
      const response = await checkGuidance(dsp, statutory);
      const panel = textOf(elementById(response.text, 'guidance-panel'));
      expect(panel).toContain('How to get it:');
      expect(panel).not.toContain('What you do now');
      expect(panel).toContain('you can always refer to MASH');
    });

    it.each([
      ['en', 'an emergency (level 0)', [['indicators', 'suicidal_intent']]],
      ['cy', 'an emergency (level 0)', [['indicators', 'suicidal_intent']]],
      ['en', 'a child at risk (level 4)', [['indicators', 'disclosure_of_abuse']]],
      ['cy', 'a child at risk (level 4)', [['indicators', 'disclosure_of_abuse']]],
    ] as Array<['en' | 'cy', string, Fields]>)(
      '(%s) adds nothing of its own that plays down %s',
      async (language, _label, ticks) => {
        for (const email of [TEACHER, DSP]) {
          const session = await openPageSession(testApp, email, { language });
          const response = await checkGuidance(session, [['category', 'wellbeing'], ...ticks]);
          expect(response.status).toBe(200);
          // The panel's own words: without the engine's reasons and patterns (checked by the engine's tests)
          // or the LA's service directory entries (its data).
          const panel = elementById(response.text, 'guidance-panel').replace(
            /<ul class="govuk-list[^"]*(app-guidance__engine|app-service-list)">[\s\S]*?<\/ul>/g,
            '',
          );
          const words = textOf(panel);
          expect(words).toMatch(
            language === 'en'
              ? /Level of need: (Emergency|Child at risk)/
              : /Lefel angen: (Argyfwng|Plentyn sy'n wynebu risg)/,
          );
          expect(words).not.toMatch(
            /in school|early help|can wait|no need|not urgent|yn yr ysgol|cymorth cynnar|significant harm|niwed sylweddol/i,
          );
        }
      },
    );
  });

  describe('"Another language": which one', () => {
    it('accepts the name beside `other` over the API and gives it back', async () => {
      const created = await testApp
        .as(TEACHER)
        .post<ConcernWithLanguage>('/api/concerns', concernBody({ childsWordsLanguageName: 'Polish' }));
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ childsWordsLanguage: 'other', childsWordsLanguageName: 'Polish' });
      const read = await testApp.as(DSP).read<ConcernWithLanguage>(`/api/concerns/${created.body.id}`);
      expect(read).toMatchObject({ childsWords: 'Nie chcę iść do domu.', childsWordsLanguageName: 'Polish' });

      const without = await testApp.as(TEACHER).post<ConcernWithLanguage>('/api/concerns', concernBody());
      expect(without.status).toBe(201);
      expect(without.body.childsWordsLanguageName).toBeNull();
    });

    it.each([
      ['beside Welsh', { childsWordsLanguage: 'cy', childsWordsLanguageName: 'Polish' }],
      ['beside English', { childsWordsLanguage: 'en', childsWordsLanguageName: 'Polish' }],
      [
        'with no child’s words',
        { childsWords: undefined, childsWordsLanguage: undefined, childsWordsLanguageName: 'Polish' },
      ],
      ['of 61 characters', { childsWordsLanguageName: 'a'.repeat(61) }],
      ['empty', { childsWordsLanguageName: '' }],
      ['with a control character', { childsWordsLanguageName: 'Pol\u0007ish' }],
      ['that is not text', { childsWordsLanguageName: 12 }],
    ])('refuses a language name %s: 400 on childsWordsLanguageName', async (_label, overrides) => {
      const response = await testApp.as(TEACHER).post('/api/concerns', concernBody(overrides));
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        statusCode: 400,
        errors: { childsWordsLanguageName: expect.arrayContaining([expect.any(String)]) },
      });
    });

    it('accepts 60 characters', async () => {
      const response = await testApp
        .as(TEACHER)
        .post('/api/concerns', concernBody({ childsWordsLanguageName: 'a'.repeat(60) }));
      expect(response.status).toBe(201);
    });

    const recordThroughTheForm = async (extra: Fields): Promise<Response> => {
      const teacher = await openPageSession(testApp, TEACHER, { language: 'en' });
      return teacher.submit(
        formOf(osian.id),
        '/concerns',
        formFields(osian.id, [
          ['category', 'wellbeing'],
          ['childsWords', 'Nie chcę iść do domu.'],
          ...extra,
          ['action', 'record'],
        ]),
      );
    };
    const recordedId = (response: Response) => {
      expect(response.status).toBe(303);
      return /^\/concerns\/([0-9a-f-]{36})\?done=recorded$/.exec(response.headers.location)![1];
    };

    it('asks "Which language?" beside "Another language" on the form, with no JavaScript needed', async () => {
      const teacher = await openPageSession(testApp, TEACHER, { language: 'en' });
      const form = await teacher.get(formOf(osian.id));
      const reveal = elementById(form.text, 'conditional-childsWordsLanguageName');
      expect(reveal).toContain('<label class="govuk-label" for="childsWordsLanguageName">Which language?</label>');
      expect(form.text).toMatch(
        /<input[^>]+value="other"[^>]+data-aria-controls="conditional-childsWordsLanguageName"[^>]*>\s*<label[^>]*>Another language<\/label>\s*<\/div>\s*<div class="govuk-radios__conditional/,
      );
    });

    it('records the language named on the form, shows it on the concern page and the chronology, and never translates the words', async () => {
      const id = recordedId(
        await recordThroughTheForm([
          ['childsWordsLanguage', 'other'],
          ['childsWordsLanguageName', 'Polish'],
        ]),
      );
      const stored = await testApp.as(DSP).read<ConcernWithLanguage>(`/api/concerns/${id}`);
      expect(stored).toMatchObject({ childsWordsLanguage: 'other', childsWordsLanguageName: 'Polish' });

      const dsp = await openPageSession(testApp, DSP, { language: 'en' });
      const page = textOf((await dsp.get(`/concerns/${id}`)).text);
      expect(page).toContain('Exactly as the child said them, in Polish. Not translated.');
      expect(page).toContain('Nie chcę iść do domu.');

      const chronology = await dsp.get(`/pupils/${osian.id}/chronology`);
      expect(textOf(chronology.text)).toContain("The child's own words, in Polish. Not translated.");
      const entries = await testApp
        .as(DSP)
        .read<{ entries: Array<{ concernId?: string; childsWords?: unknown }> }>(`/api/pupils/${osian.id}/chronology`);
      expect(entries.entries.find((entry) => entry.concernId === id)?.childsWords).toEqual({
        text: 'Nie chcę iść do domu.',
        language: 'other',
        languageName: 'Polish',
      });

      const welsh = await openPageSession(testApp, DSP, { language: 'cy' });
      expect(textOf((await welsh.get(`/concerns/${id}`)).text)).toContain('mewn iaith arall (Polish)');
    });

    it('does not keep a name typed before choosing Welsh (the question belongs to "Another language")', async () => {
      const id = recordedId(
        await recordThroughTheForm([
          ['childsWordsLanguage', 'cy'],
          ['childsWordsLanguageName', 'Polish'],
        ]),
      );
      const stored = await testApp.as(DSP).read<ConcernWithLanguage>(`/api/concerns/${id}`);
      expect(stored).toMatchObject({ childsWordsLanguage: 'cy', childsWordsLanguageName: null });
    });

    it('shows a name that is too long as an error on the question, keeping what was typed', async () => {
      const response = await recordThroughTheForm([
        ['childsWordsLanguage', 'other'],
        ['childsWordsLanguageName', 'P'.repeat(61)],
      ]);
      expect(response.status).toBe(400);
      expect(response.text).toContain('<a href="#childsWordsLanguageName">This must be 60 characters or fewer</a>');
      expect(response.text).toContain(`value="${'P'.repeat(61)}"`);
      // Shown, not hidden, since "Another language" is chosen.
      expect(response.text).toContain('class="govuk-radios__conditional" id="conditional-childsWordsLanguageName"');
    });
  });
});
