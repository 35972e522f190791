import { Response } from 'supertest';
import { ConcernDetail, PupilSummary } from '../support/api';
import { bootTestApp, TestApp } from '../support/test-app';
import { csrfFieldOf, openPageSession, PageSession } from '../support/web-session';

/**
 * The school's pages of the core loop, driven as a browser would: sign in through the form, open a
 * page, post its form (urlencoded, with the page's CSRF token), follow the redirect.
 */

type Fields = Array<[string, string]>;

const RAW_KEY =
  /\b(concernForm|concernPage|dashboard|concernIssues|riskIndicators|concernContexts|evidenceBases|bodyMap|statuses|guidance|referralFields|escalationRoutes|decisionOutcomes|concernCategories|linkedPupilRoles|laOutcomes|roles|errors|home)\.[a-zA-Z_]+/;

/** The visible text and attribute values of a page, without markup, scripts' src or CSS class names. */
const textOf = (html: string) =>
  html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, '')
    .replace(
      /\s(class|id|href|src|for|name|action|formaction|aria-[a-z]+|data-[a-z-]+|lang|hreflang|rel|type)="[^"]*"/g,
      '',
    )
    .replace(/<[^>]+>/g, ' ');

describe('Concern pages (record, triage, refer) through the web forms', () => {
  let testApp: TestApp;
  const pupils: Record<string, PupilSummary> = {};
  /** The DSP's view of a concern over the API. */
  const concernOverApi = (id: string) => testApp.as('dsp@riverside.example').get<ConcernDetail>(`/api/concerns/${id}`);

  const signIn = (email: string, language?: 'cy' | 'en') => openPageSession(testApp, email, { language });
  const get = (session: PageSession, path: string) => session.get(path);
  const post = (session: PageSession, path: string, fields: Fields, csrf: string) => session.post(path, fields, csrf);
  /** Opens a page and posts one of its forms, as the browser would. */
  const submit = (session: PageSession, page: string, action: string, fields: Fields) =>
    session.submit(page, action, fields);

  const concernIdFrom = (response: Response) => {
    expect(response.status).toBe(303);
    const match = /^\/concerns\/([0-9a-f-]{36})\?done=recorded$/.exec(response.headers.location);
    expect(match).not.toBeNull();
    return match![1];
  };

  /** A complete concern form; `extra` fields replace the defaults of the same name. */
  const baseConcern = (pupilId: string, extra: Fields = []): Fields => {
    const defaults: Fields = [
      ['pupilId', pupilId],
      ['occurredDate', '2026-01-15'],
      ['occurredTime', '10:30'],
      ['summary', 'Noticed a bruise on the upper arm while changing for PE.'],
      ['evidenceBasis', 'observed'],
      ['category', 'neglect'],
      ['action', 'record'],
    ];
    const replaced = new Set(extra.map(([name]) => name));
    return [...defaults.filter(([name]) => !replaced.has(name)), ...extra];
  };

  beforeAll(async () => {
    testApp = await bootTestApp();
    for (const email of ['dsp@riverside.example', 'dsp@hillcrest.example']) {
      for (const pupil of await testApp.as(email).pupils()) pupils[`${pupil.firstName} ${pupil.lastName}`] = pupil;
    }
  });

  afterAll(() => testApp.close());

  describe('a teacher records a concern', () => {
    it('adds body-map marks by clicking the figure and by body area, records the concern and lands on its page', async () => {
      const teacher = await signIn('teacher@riverside.example');
      const grace = pupils['Grace Okafor'];
      const witness = pupils['Dewi Lloyd'];

      const pupilPage = await get(teacher, `/pupils/${grace.id}`);
      expect(pupilPage.text).toContain(`href="/concerns/new?pupilId=${grace.id}"`);
      expect(pupilPage.text).not.toContain(`href="/pupils/${grace.id}/chronology"`);

      const form = await get(teacher, `/concerns/new?pupilId=${grace.id}`);
      expect(form.status).toBe(200);
      expect(form.text).toContain('<h1 class="govuk-heading-l">Record a concern</h1>');
      expect(form.text).toContain('name="bodyMapFront" src="/assets/body-map-front.svg"');
      expect(form.text).toMatch(/<input[^>]+id="occurredDate"[^>]+value="\d{4}-\d{2}-\d{2}"/);
      const csrf = csrfFieldOf(form.text);

      const typed: Fields = [
        ['pupilId', grace.id],
        ['occurredDate', '2026-07-01'],
        ['occurredTime', '09:15'],
        ['summary', 'Grace had a bruise on her chest and upper left arm.'],
        ['childsWords', 'Fe wnes i gwympo oddi ar y beic.'],
        ['childsWordsLanguage', 'cy'],
        ['evidenceBasis', 'observed'],
        ['category', 'physical'],
        ['indicators', 'injury_suspected_non_accidental'],
        ['issues', 'bullying'],
        ['issues', 'mental_health'],
        ['linkedPupils[0][pupilId]', witness.id],
        ['linkedPupils[0][role]', 'witness'],
        ['linkedPupils[1][pupilId]', ''],
        ['linkedPupils[1][role]', ''],
        ['actionTaken', 'Told the DSP in person.'],
      ];

      // A click on the front figure at the chest (80, 105 in figure pixels), with the note typed first.
      const clicked = await post(
        teacher,
        '/concerns',
        [...typed, ['markNote', 'Round bruise, 3cm'], ['bodyMapFront.x', '80'], ['bodyMapFront.y', '105']],
        csrf,
      );
      expect(clicked.status).toBe(200);
      expect(clicked.text).toContain('name="bodyMap[0][view]" value="front"');
      expect(clicked.text).toContain('name="bodyMap[0][x]" value="0.5"');
      expect(clicked.text).toContain('name="bodyMap[0][y]" value="0.263"');
      expect(clicked.text).toContain('name="bodyMap[0][note]" type="text" value="Round bruise, 3cm"');
      expect(clicked.text).toContain('Grace had a bruise on her chest and upper left arm.');
      expect(clicked.text).toMatch(/<circle cx="80" cy="105\.2?"/);

      // The accessible way: a body area and a side, with the "Add mark" button.
      const marks: Fields = [
        ['bodyMap[0][view]', 'front'],
        ['bodyMap[0][x]', '0.5'],
        ['bodyMap[0][y]', '0.263'],
        ['bodyMap[0][note]', 'Round bruise, 3cm'],
      ];
      const added = await post(
        teacher,
        '/concerns',
        [
          ...typed,
          ...marks,
          ['markRegion', 'left_arm'],
          ['markView', 'back'],
          ['markNote', 'Finger-shaped marks'],
          ['action', 'addMark'],
        ],
        csrfFieldOf(clicked.text),
      );
      expect(added.status).toBe(200);
      expect(added.text).toContain('name="bodyMap[1][view]" value="back"');
      expect(added.text).toContain('name="bodyMap[1][note]" type="text" value="Finger-shaped marks"');
      expect(added.text).toContain('Left arm (back)');

      const recorded = await post(
        teacher,
        '/concerns',
        [
          ...typed,
          ...marks,
          ['bodyMap[1][view]', 'back'],
          ['bodyMap[1][x]', '0.238'],
          ['bodyMap[1][y]', '0.35'],
          ['bodyMap[1][note]', 'Finger-shaped marks'],
          ['action', 'record'],
        ],
        csrfFieldOf(added.text),
      );
      const id = concernIdFrom(recorded);

      const page = await get(teacher, recorded.headers.location);
      expect(page.status).toBe(200);
      expect(page.text).toContain('The concern is recorded');
      expect(page.text).toContain('Grace had a bruise on her chest and upper left arm.');
      expect(page.text).toContain(
        '<blockquote class="app-childs-words app-verbatim" lang="cy">Fe wnes i gwympo oddi ar y beic.</blockquote>',
      );
      expect(page.text).toContain('Awaiting triage');
      expect(page.text).toContain('Round bruise, 3cm');
      expect(page.text).toMatch(/Dewi<\/a>|Dewi Lloyd<\/a>/);
      expect(page.text.match(/<circle /g)).toHaveLength(2);
      // The member of staff sees their concern and its status, not the DSP's working.
      expect(page.text).not.toContain('id="guidance"');
      expect(page.text).not.toContain(`action="/concerns/${id}/decision"`);

      const api = await concernOverApi(id);
      expect(api.status).toBe(200);
      expect(api.body).toMatchObject({
        pupilId: grace.id,
        category: 'physical',
        issues: ['bullying', 'mental_health'],
        indicators: ['injury_suspected_non_accidental'],
        childsWordsLanguage: 'cy',
        linkedPupils: [{ pupilId: witness.id, role: 'witness' }],
        bodyMap: [
          { view: 'front', x: 0.5, y: 0.263, note: 'Round bruise, 3cm' },
          { view: 'back', x: 0.238, y: 0.35, note: 'Finger-shaped marks' },
        ],
      });
      // 09:15 on 1 July in Cardiff is 08:15 UTC (BST).
      expect(api.body.occurredAt).toBe('2026-07-01T08:15:00.000Z');
    });

    it('re-renders the form with an error summary and the typed text kept when something is missing', async () => {
      const teacher = await signIn('teacher@riverside.example');
      const grace = pupils['Grace Okafor'];
      const response = await submit(teacher, `/concerns/new?pupilId=${grace.id}`, '/concerns', [
        ['pupilId', grace.id],
        ['occurredDate', '2026-01-15'],
        ['occurredTime', '10:30'],
        ['summary', 'Grace seemed withdrawn and hungry at lunch.'],
        ['childsWords', 'I did not have breakfast'],
        ['action', 'record'],
      ]);
      expect(response.status).toBe(400);
      expect(response.text).toContain('There is a problem');
      expect(response.text).toContain('<a href="#category">Choose the category that fits best</a>');
      expect(response.text).toContain('<a href="#evidenceBasis">Choose how you know</a>');
      expect(response.text).toContain('<a href="#childsWordsLanguage">Choose the language the child spoke</a>');
      expect(response.text).toContain('Grace seemed withdrawn and hungry at lunch.</textarea>');
      expect(response.text).toContain('I did not have breakfast</textarea>');
      expect(response.text).toMatch(/<title>There is a problem: /);
    });

    it('answers 404 for a pupil on another school roll', async () => {
      const teacher = await signIn('teacher@hillcrest.example');
      const response = await get(teacher, `/concerns/new?pupilId=${pupils['Grace Okafor'].id}`);
      expect(response.status).toBe(404);
      expect(response.text).not.toContain('Okafor');
    });

    it('shows quotes, tags and SQL fragments exactly as typed, escaped, never as markup', async () => {
      const teacher = await signIn('teacher@riverside.example');
      const pupil = pupils['Isla Thomas'];
      const nasty = `He said "stop it" & <script>alert(1)</script> '; DROP TABLE concerns; --`;
      const recorded = await submit(
        teacher,
        `/concerns/new?pupilId=${pupil.id}`,
        '/concerns',
        baseConcern(pupil.id, [
          ['summary', nasty],
          ['childsWords', '<b>bold</b> "quoted"'],
          ['childsWordsLanguage', 'other'],
        ]),
      );
      const id = concernIdFrom(recorded);
      const dsp = await signIn('dsp@riverside.example');
      for (const viewer of [teacher, dsp]) {
        const page = await get(viewer, `/concerns/${id}`);
        expect(page.status).toBe(200);
        expect(page.text).not.toContain('<script>alert(1)</script>');
        expect(page.text).not.toContain('<b>bold</b>');
        expect(page.text).toContain(
          'He said &quot;stop it&quot; &amp; &lt;script&gt;alert(1)&lt;/script&gt; &#x27;; DROP TABLE concerns; --',
        );
        expect(page.text).toContain('&lt;b&gt;bold&lt;/b&gt; &quot;quoted&quot;');
        expect(page.text).toMatch(/<blockquote class="app-childs-words app-verbatim">/);
      }
      const api = await concernOverApi(id);
      expect(api.body.summary).toBe(nasty);
    });
  });

  describe('the DSP triages and refers', () => {
    let concernId: string;
    let dsp: PageSession;

    beforeAll(async () => {
      const teacher = await signIn('teacher@riverside.example');
      const pupil = pupils['Zofia Nowak'];
      concernId = concernIdFrom(
        await submit(teacher, `/concerns/new?pupilId=${pupil.id}`, '/concerns', baseConcern(pupil.id)),
      );
      dsp = await signIn('dsp@riverside.example');
    });

    it('shows the guidance, the threshold question and the forms; suspected neglect opens the referral form with MASH, no early-help box', async () => {
      const page = await get(dsp, `/concerns/${concernId}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('id="guidance"');
      expect(page.text).toContain(`action="/concerns/${concernId}/decision"`);
      expect(page.text).toContain(`action="/concerns/${concernId}/escalations"`);
      expect(page.text).toContain(`action="/concerns/${concernId}/close"`);
      expect(page.text).toContain(
        'Do you have reasonable cause to suspect that the child is experiencing or is at risk of abuse, neglect or other harm?',
      );
      expect(page.text).toContain('You do not need proof or certainty.');
      expect(page.text).toContain('Why are you choosing a lower route than the guidance?');
      expect(page.text).not.toContain('Consider early help first');
      expect(page.text).toContain('Report to MASH the same day');
      expect(page.text).toMatch(/id="route" name="route" type="radio" value="mash"[^>]* checked/);
    });

    it('asks for a rationale, then records the decision', async () => {
      const missing = await submit(dsp, `/concerns/${concernId}`, `/concerns/${concernId}/decision`, [
        ['outcome', 'monitor'],
        ['rationale', '   '],
      ]);
      expect(missing.status).toBe(400);
      expect(missing.text).toContain('<a href="#rationale">Say why: every decision needs a rationale</a>');
      expect(missing.text).toContain(
        '<a href="#reasonableCause">Answer the question: do you have reasonable cause to suspect that the child is at risk?</a>',
      );
      expect(missing.text).toMatch(/id="outcome-monitor" name="outcome" type="radio" value="monitor"[^>]* checked/);

      const decided = await submit(dsp, `/concerns/${concernId}`, `/concerns/${concernId}/decision`, [
        ['reasonableCause', 'no'],
        ['outcome', 'monitor'],
        ['rationale', 'Watch attendance and speak to mum at pick-up.'],
      ]);
      expect(decided.status).toBe(303);
      expect(decided.headers.location).toBe(`/concerns/${concernId}?done=decided#decisions`);
      const page = await get(dsp, `/concerns/${concernId}`);
      expect(page.text).toContain('Watch attendance and speak to mum at pick-up.');
      expect(page.text).toContain('Open');
    });

    it('answers 422 with the reasonForRoute error for an early-help referral below the guidance, keeping the input; MASH goes with no reason and no label', async () => {
      const referral: Fields = [
        ['route', 'mash'],
        ['consentSought', 'yes'],
        ['consentGiven', 'no'],
        ['householdMembers[0][name]', 'Anna Nowak'],
        ['householdMembers[0][relationship]', 'Mother'],
        ['householdMembers[0][dateOfBirth]', '1990-04-02'],
        ['agenciesInvolved', 'School nurse\r\nHealth visitor'],
        ['communicationNeeds', 'Polish interpreter for mum'],
        ['phonedDate', '2026-01-15'],
        ['phonedTime', '11:00'],
      ];
      const refused = await submit(dsp, `/concerns/${concernId}`, `/concerns/${concernId}/escalations`, [
        ...referral.map(([name, value]): [string, string] => [name, name === 'route' ? 'early_help' : value]),
        ['reasonableCause', 'yes'],
        ['consentGivenBy', 'Anna Nowak'],
        ['reasonForRoute', ''],
      ]);
      expect(refused.status).toBe(422);
      expect(refused.text).toContain(
        '<a href="#reasonForRoute">This route is lower than the guidance for this concern: say why, in at least 20 characters</a>',
      );
      expect(refused.text).toContain('value="Anna Nowak"');
      expect(refused.text).toContain('Polish interpreter for mum</textarea>');
      expect(refused.text).toMatch(/id="route-early_help" name="route" type="radio" value="early_help"[^>]* checked/);

      const sent = await submit(dsp, `/concerns/${concernId}`, `/concerns/${concernId}/escalations`, [
        ...referral,
        ['reasonableCause', 'yes'],
        ['reasonForRoute', 'Mum disclosed that her partner hits her when he drinks.'],
      ]);
      expect(sent.status).toBe(303);
      expect(sent.headers.location).toBe(`/concerns/${concernId}?done=referred#referrals`);
      const page = await get(dsp, sent.headers.location.replace(/#.*$/, ''));
      expect(page.text).toContain('The referral is sent');
      const referralBlock = page.text.slice(page.text.indexOf('class="app-referral"'));
      expect(referralBlock.slice(0, referralBlock.indexOf('</dl>'))).not.toContain('Below the guidance');
      expect(page.text).not.toContain('Against the guidance');
      expect(page.text).toContain('Mum disclosed that her partner hits her when he drinks.');
      expect(page.text).toContain('<li>Health visitor</li>');

      const api = await concernOverApi(concernId);
      expect(api.body.escalations).toHaveLength(1);
      expect(api.body.escalations[0]).toMatchObject({
        route: 'mash',
        status: 'sent',
        againstRecommendation: false,
        reasonableCause: 'yes',
        consent: { sought: true, given: false },
        referral: {
          householdMembers: [{ name: 'Anna Nowak', relationship: 'Mother', dateOfBirth: '1990-04-02' }],
          agenciesInvolved: ['School nurse', 'Health visitor'],
          communicationNeeds: 'Polish interpreter for mum',
          phonedAt: '2026-01-15T11:00:00+00:00',
        },
      });
    });

    it('shows the head teacher everything read-only, and refuses their decision with 403', async () => {
      const head = await signIn('head@riverside.example');
      const page = await get(head, `/concerns/${concernId}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('id="guidance"');
      expect(page.text).toContain('Watch attendance and speak to mum at pick-up.');
      // Nothing of the DSP's to do; adding a file is open to whoever may record concerns (issue 13).
      expect(page.text.match(/<form method="post" action="\/concerns\/[^"]*"/g)).toEqual([
        `<form method="post" action="/concerns/${concernId}/attachments"`,
      ]);
      const refused = await post(
        head,
        `/concerns/${concernId}/decision`,
        [
          ['outcome', 'mash'],
          ['rationale', 'Because'],
        ],
        csrfFieldOf(page.text),
      );
      expect(refused.status).toBe(403);
      const home = await get(head, '/');
      expect(home.text).toContain('Waiting for triage');
      expect(home.text).toContain('Concerns no DSP has decided on yet: emergencies first, then oldest first.');
      const pupilPage = await get(head, `/pupils/${pupils['Zofia Nowak'].id}`);
      expect(pupilPage.text).toContain(`href="/pupils/${pupils['Zofia Nowak'].id}/chronology"`);
    });

    it("answers 404 to the other school's DSP, as for a concern that does not exist", async () => {
      const other = await signIn('dsp@hillcrest.example');
      const response = await get(other, `/concerns/${concernId}`);
      expect(response.status).toBe(404);
      expect(response.text).not.toContain('Nowak');
      const missing = await get(other, '/concerns/00000000-0000-4000-8000-000000000000');
      expect(missing.status).toBe(404);
    });

    it('closes the concern with a rationale; the forms then disappear', async () => {
      const closed = await submit(dsp, `/concerns/${concernId}`, `/concerns/${concernId}/close`, [
        ['closeRationale', 'MASH took it on; nothing more for school.'],
      ]);
      expect(closed.status).toBe(303);
      const page = await get(dsp, `/concerns/${concernId}`);
      expect(page.text).toContain('MASH took it on; nothing more for school.');
      expect(page.text).not.toContain(`action="/concerns/${concernId}/decision"`);
    });
  });

  describe('the referral form shows every problem at once', () => {
    let concernId: string;
    let dsp: PageSession;
    /** The fields the error summary links to, in its order. */
    const summaryFields = (html: string) => {
      const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html);
      expect(summary).not.toBeNull();
      return [...summary![0].matchAll(/<a href="#([^"]+)">/g)].map((match) => match[1]);
    };

    beforeAll(async () => {
      const teacher = await signIn('teacher@riverside.example');
      const pupil = pupils['Zofia Nowak'];
      concernId = concernIdFrom(
        await submit(teacher, `/concerns/new?pupilId=${pupil.id}`, '/concerns', baseConcern(pupil.id)),
      );
      dsp = await signIn('dsp@riverside.example');
    });

    it('lists every field problem and every broken rule together (early help below the guidance, no consent)', async () => {
      const response = await submit(dsp, `/concerns/${concernId}`, `/concerns/${concernId}/escalations`, [
        ['route', 'early_help'],
        ['reasonForRoute', ''],
        ['consentSought', 'no'],
        ['consentGiven', 'no'],
        ['householdMembers[0][name]', ''],
        ['householdMembers[0][relationship]', 'Mother'],
        ['householdMembers[1][name]', 'Piotr Nowak'],
        ['householdMembers[1][relationship]', ''],
        ['phonedDate', '2026-01-15'],
      ]);
      expect(response.status).toBe(400);
      expect(summaryFields(response.text)).toEqual([
        'reasonForRoute',
        'consentGiven',
        'consentGivenBy',
        'householdMembers-0-name',
        'householdMembers-1-relationship',
        'phonedDate',
      ]);
      expect(response.text).toContain('say why, in at least 20 characters</a>');
      expect(response.text).toContain('Person 1: enter the name</a>');
      expect(response.text).toContain('Person 2: enter their relationship to the child</a>');
      expect(response.text).toContain('Enter both the date and the time you phoned</a>');
      expect((await concernOverApi(concernId)).body.escalations).toHaveLength(0);
    });

    it('lists a missing answer with the early help consent rules it already breaks', async () => {
      const response = await submit(dsp, `/concerns/${concernId}`, `/concerns/${concernId}/escalations`, [
        ['route', 'early_help'],
        ['consentGiven', 'no'],
      ]);
      expect(response.status).toBe(400);
      expect(summaryFields(response.text)).toEqual([
        'reasonForRoute',
        'consentSought',
        'consentGiven',
        'consentGivenBy',
      ]);
    });

    it('lists every broken rule when the fields themselves are all right (422)', async () => {
      const response = await submit(dsp, `/concerns/${concernId}`, `/concerns/${concernId}/escalations`, [
        ['route', 'early_help'],
        ['consentSought', 'yes'],
        ['consentGiven', 'no'],
      ]);
      expect(response.status).toBe(422);
      expect(summaryFields(response.text)).toEqual(['reasonForRoute', 'consentGiven', 'consentGivenBy']);
      expect((await concernOverApi(concernId)).body.escalations).toHaveLength(0);
    });

    it('still names only the first broken rule over the API (the contract is unchanged)', async () => {
      const response = await testApp.as('dsp@riverside.example').post(`/api/concerns/${concernId}/escalations`, {
        route: 'early_help',
        reasonForRoute: 'The family asked for help themselves this week.',
        consent: { sought: true, given: false },
      });
      expect(response.status).toBe(422);
      expect(response.body).toMatchObject({ rule: 'early_help_needs_consent' });
    });
  });

  describe('a double submit (a double click) records once', () => {
    let concernId: string;
    let dsp: PageSession;

    /** Opens the concern page and reads the CSRF token and the one-use token of the form posting to `action`. */
    const openForm = async (action: string) => {
      const page = await get(dsp, `/concerns/${concernId}`);
      expect(page.status).toBe(200);
      const form = page.text.slice(page.text.indexOf(`action="${action}"`));
      const key = /name="submissionKey" value="([0-9a-f-]{36})"/.exec(form);
      expect(key).not.toBeNull();
      return { csrf: csrfFieldOf(page.text), key: key![1] };
    };
    /** The same form posted twice with the same tokens, as a double click sends it. */
    const postTwice = async (action: string, fields: Fields) => {
      const { csrf, key } = await openForm(action);
      const withKey: Fields = [...fields, ['submissionKey', key]];
      const first = await post(dsp, action, withKey, csrf);
      const second = await post(dsp, action, withKey, csrf);
      return [first, second];
    };

    beforeAll(async () => {
      const teacher = await signIn('teacher@riverside.example');
      const pupil = pupils['Zofia Nowak'];
      concernId = concernIdFrom(
        await submit(teacher, `/concerns/new?pupilId=${pupil.id}`, '/concerns', baseConcern(pupil.id)),
      );
      dsp = await signIn('dsp@riverside.example');
    });

    it('records one decision for two posts of the same form, and a new one after a new page load', async () => {
      const decision: Fields = [
        ['reasonableCause', 'no'],
        ['outcome', 'monitor'],
        ['rationale', 'Watch attendance and speak to dad at pick-up.'],
      ];
      const action = `/concerns/${concernId}/decision`;
      for (const response of await postTwice(action, decision)) {
        expect(response.status).toBe(303);
        expect(response.headers.location).toBe(`/concerns/${concernId}?done=decided#decisions`);
      }
      expect((await concernOverApi(concernId)).body.decisions).toHaveLength(1);

      // A new page load records anew (a different decision: the same one within a minute is the one already made).
      const again = await submit(dsp, `/concerns/${concernId}`, action, [
        ...decision.filter(([name]) => name !== 'rationale'),
        ['rationale', 'Dad did not come: phone him tomorrow.'],
      ]);
      expect(again.status).toBe(303);
      expect((await concernOverApi(concernId)).body.decisions).toHaveLength(2);
    });

    it('sends one referral for two posts of the same form, landing both on the sent page', async () => {
      const action = `/concerns/${concernId}/escalations`;
      const responses = await postTwice(action, [
        ['route', 'mash'],
        ['consentSought', 'yes'],
        ['consentGiven', 'no'],
        ['reasonForRoute', 'Dad disclosed that his partner hits him when she drinks.'],
      ]);
      for (const response of responses) {
        expect(response.status).toBe(303);
        expect(response.headers.location).toBe(`/concerns/${concernId}?done=referred#referrals`);
      }
      expect((await concernOverApi(concernId)).body.escalations).toHaveLength(1);
    });

    it('closes once for two posts of the same form: the second lands on the closed page, not an error', async () => {
      const responses = await postTwice(`/concerns/${concernId}/close`, [['closeRationale', 'MASH took it on.']]);
      for (const response of responses) {
        expect(response.status).toBe(303);
        expect(response.headers.location).toBe(`/concerns/${concernId}?done=closed`);
      }
      expect((await concernOverApi(concernId)).body.status).toBe('closed');
    });

    it('refuses a malformed token with 400', async () => {
      const page = await get(dsp, `/concerns/${concernId}`);
      const malformed = await post(
        dsp,
        `/concerns/${concernId}/decision`,
        [
          ['outcome', 'monitor'],
          ['rationale', 'Another look.'],
          ['submissionKey', 'not-a-token'],
        ],
        csrfFieldOf(page.text),
      );
      expect(malformed.status).toBe(400);
    });
  });

  describe('dashboards', () => {
    it('shows the DSP the triage queue with emergencies flagged, and a teacher the concerns they recorded', async () => {
      const teacher = await signIn('teacher@riverside.example');
      const pupil = pupils['Jacob Brown'];
      const id = concernIdFrom(
        await submit(
          teacher,
          `/concerns/new?pupilId=${pupil.id}`,
          '/concerns',
          baseConcern(pupil.id, [
            ['indicators', 'child_missing_now'],
            ['summary', 'Jacob left the site at lunch and has not come back.'],
          ]),
        ),
      );

      const dsp = await signIn('dsp@riverside.example');
      const home = await get(dsp, '/');
      expect(home.status).toBe(200);
      expect(home.text).toContain('Waiting for triage');
      expect(home.text).toContain(`href="/concerns/${id}"`);
      expect(home.text).toContain('Emergency');
      expect(home.text).toContain('Referrals waiting for an answer');

      const page = await get(dsp, `/concerns/${id}`);
      expect(page.text).toContain('Call 999 now');

      const mine = await get(teacher, '/');
      expect(mine.text).toContain('Concerns you recorded');
      expect(mine.text).toContain(`href="/concerns/${id}"`);
      expect(mine.text).not.toContain('Waiting for triage');

      const mash = await signIn('mash@cardiff.example');
      const inbox = await get(mash, '/');
      expect(inbox.status).toBe(200);
      expect(inbox.text).toContain('href="/la/inbox"');
      expect(inbox.text).toMatch(/\d+ referrals waiting for a decision/);
      const referredPupil = await get(mash, `/pupils/${pupils['Zofia Nowak'].id}`);
      if (referredPupil.status === 200) expect(referredPupil.text).not.toContain('/concerns/new?pupilId=');
    });
  });

  describe('demo data', () => {
    it("puts Lily's bruise where her concern says it is: the upper left arm (the child's left)", async () => {
      const lily = pupils['Lily Evans'];
      const chronology = await testApp
        .as('dsp@riverside.example')
        .read<{ entries: Array<{ kind: string; concernId?: string }> }>(`/api/pupils/${lily.id}/chronology`);
      const concernId = chronology.entries.find((entry) => entry.kind === 'concern_recorded')?.concernId;
      const concern = (await concernOverApi(concernId!)).body as ConcernDetail & { summary: string };
      expect(concern.summary).toContain('upper left arm');

      const page = await get(await signIn('dsp@riverside.example'), `/concerns/${concernId}`);
      expect(page.status).toBe(200);
      expect(textOf(page.text)).toContain('Left arm (front): ');
      expect(textOf(page.text)).not.toContain('Right arm');
    });
  });

  describe('in Welsh', () => {
    it('renders the form, the concern page and the dashboard with no raw catalogue keys', async () => {
      const dsp = await signIn('dsp@riverside.example', 'cy');
      const pupil = pupils['Mali Roberts'];
      const form = await get(dsp, `/concerns/new?pupilId=${pupil.id}&lang=cy`);
      expect(form.status).toBe(200);
      expect(form.text).toContain('<html lang="cy"');
      expect(form.text).toContain('Cofnodi pryder');
      expect(textOf(form.text)).not.toMatch(RAW_KEY);

      const id = concernIdFrom(
        await post(
          dsp,
          '/concerns',
          baseConcern(pupil.id, [
            ['childsWords', 'Dw i ddim eisiau mynd adref.'],
            ['childsWordsLanguage', 'cy'],
            ['indicators', 'afraid_to_go_home'],
          ]),
          csrfFieldOf(form.text),
        ),
      );
      const page = await get(dsp, `/concerns/${id}?lang=cy`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Canllawiau');
      expect(page.text).toContain('lang="cy">Dw i ddim eisiau mynd adref.</blockquote>');
      expect(textOf(page.text)).not.toMatch(RAW_KEY);
      // The guidance's own messages follow the page's language.
      expect(page.text).toContain('Gweithdrefnau Diogelu Cymru');

      const invalid = await post(
        dsp,
        '/concerns',
        [
          ['pupilId', pupil.id],
          ['action', 'record'],
        ],
        csrfFieldOf(page.text),
      );
      expect(invalid.status).toBe(400);
      expect(textOf(invalid.text)).not.toMatch(RAW_KEY);

      const home = await get(dsp, '/?lang=cy');
      expect(home.status).toBe(200);
      expect(textOf(home.text)).not.toMatch(RAW_KEY);
    });
  });
});
