import { CATALOGUES } from '../../src/i18n/catalogues';
import { Concern, ErrorBody, Escalation, InboxItem, Paged } from '../support/api';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';
import { cookieHeader } from '../support/web-session';

/**
 * The referral-balance report over HTTP with the demo seed: the API's counts agree with the referrals
 * the local authority's inboxes hold and move by exactly one when a DSP records and refers a concern;
 * scoping per role; the page in both languages. No seeded number is written down here.
 */

interface Counts {
  concerns: number;
  decisions: Record<string, number>;
  decisionsBelowGuidance: number;
  levelFourOrZeroNotReferred: number;
  escalations: { mash: number; early_help: number; designated_officer: number; police: number };
  mashOutcomes: Record<string, number>;
  earlyHelpOutcomes: Record<string, number>;
  designatedOfficerOutcomes: Record<string, number>;
  earlyHelpSteppedUpToMash: number;
  mashRedirectedToEarlyHelp: number;
  mashNoFurtherAction: number;
  againstRecommendation: number;
  aboveGuidance?: number;
}
interface Item extends Counts {
  organisationId: string;
  name: string;
  nameCy: string | null;
  kind: string;
}
interface Report {
  items: Item[];
  totals: Counts;
  period: { from: string; to: string };
}

const RAW_KEY = new RegExp(`(?<![\\w/.-])(?:${Object.keys(CATALOGUES.en).join('|')})\\.[A-Za-z_]`, 'g');
const rawKeysIn = (html: string) => html.match(RAW_KEY) ?? [];

const numbersOf = ({ organisationId: _id, name: _name, nameCy: _nameCy, kind: _kind, ...counts }: Item): Counts =>
  counts;
/** Every figure added up, nested records key by key. */
function sum(items: Counts[]): Counts {
  type Tree = { [key: string]: number | Tree };
  const add = (a: Tree, b: Tree): Tree =>
    Object.fromEntries(
      Object.keys(a).map((key) => {
        const x = a[key];
        const y = b[key];
        return [key, typeof x === 'number' ? x + (y as number) : add(x, y as Tree)];
      }),
    );
  return items.reduce((total, item) => add(total as unknown as Tree, item as unknown as Tree) as unknown as Counts);
}

/** The school names in the order of the table's rows. */
const rowNames = (html: string) =>
  [
    ...html.matchAll(/<th scope="row" class="govuk-table__header"><a class="govuk-link" href="[^"]*">([^<]+)<\/a>/g),
  ].map((match) => match[1]);
/** Attribute values as a browser reads them (Handlebars escapes `=` and `&` in hrefs). */
const unescaped = (html: string) => html.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
const HARM_WORDING = /significant harm|niwed sylweddol|niwed arwyddocaol/i;
const ABOVE_WORDING = /above the guidance|higher level than|uwchlaw|aboveGuidance/i;

describe('The referral-balance report', () => {
  let testApp: TestApp;

  const reportAs = (email: string, query: Record<string, string> = {}) =>
    testApp.as(email).read<Report>('/api/reports/referral-balance', query);
  const pageAs = async (email: string, query: Record<string, string> = {}, language: 'en' | 'cy' = 'en') =>
    testApp
      .http()
      .get('/reports/referral-balance')
      .query(query)
      .set(await testApp.as(email).authorization())
      .set('Cookie', cookieHeader({ sg_lang: language }));
  const byName = (report: Report) => Object.fromEntries(report.items.map((item) => [item.name, item]));

  beforeAll(async () => {
    testApp = await bootTestApp();
  });

  afterAll(() => testApp.close());

  describe('the API', () => {
    it('shows the LA lead one item per school and PRU, each with every count, and totals summed over them', async () => {
      const report = await reportAs('lead@cardiff.example');
      expect(report.items.map((item) => [item.name, item.kind])).toEqual([
        ['Bridge PRU', 'pru'],
        ['Hillcrest High', 'school'],
        ['Riverside Primary', 'school'],
      ]);
      for (const item of report.items) {
        expect(Object.keys(item.decisions).sort()).toEqual([
          'designated_officer',
          'early_help',
          'mash',
          'monitor',
          'no_further_action',
          'police',
          'school_support',
        ]);
        expect(Object.keys(item.escalations).sort()).toEqual(['designated_officer', 'early_help', 'mash', 'police']);
        // Each concern has at most one latest decision; MASH's answers are about MASH referrals.
        expect(Object.values(item.decisions).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(item.concerns);
        expect(item.mashRedirectedToEarlyHelp + item.mashNoFurtherAction).toBeLessThanOrEqual(item.escalations.mash);
      }
      expect(report.totals).toEqual(sum(report.items.map(numbersOf)));
      expect(report.period.to).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    });

    it("agrees with the referrals in the MASH and early-help inboxes (the seeded history), redirects counted apart from the schools' own", async () => {
      const report = await reportAs('lead@cardiff.example');
      const fromInbox = async (email: string) => {
        const team = testApp.as(email);
        const list = await team.read<Paged<InboxItem>>('/api/la/escalations');
        return Promise.all(list.items.map(({ id }) => team.read<Escalation>(`/api/la/escalations/${id}`)));
      };
      const mash = await fromInbox('mash@cardiff.example');
      const earlyHelp = await fromInbox('earlyhelp@cardiff.example');
      // The seed holds a MASH referral that MASH redirected to early help.
      expect(earlyHelp.some((referral) => referral.redirectedFromId)).toBe(true);
      for (const item of report.items) {
        const mine = (referrals: typeof mash) =>
          referrals.filter((referral) => referral.organisationId === item.organisationId);
        expect(item.escalations.mash).toBe(mine(mash).length);
        expect(item.mashRedirectedToEarlyHelp).toBe(
          mine(mash).filter((referral) => referral.outcome?.outcome === 'redirect_early_help').length,
        );
        expect(item.mashNoFurtherAction).toBe(
          mine(mash).filter((referral) => referral.outcome?.outcome === 'no_further_action').length,
        );
        expect(item.escalations.early_help).toBe(
          mine(earlyHelp).filter((referral) => !referral.redirectedFromId).length,
        );
      }
      expect(report.totals.escalations.early_help + report.totals.mashRedirectedToEarlyHelp).toBe(earlyHelp.length);
    });

    it('moves by exactly one when a DSP records a concern, decides MASH and refers it, and MASH redirects it to early help', async () => {
      const dsp = testApp.as('dsp@riverside.example');
      const before = byName(await reportAs('lead@cardiff.example'));
      const ownBefore = await reportAs('dsp@riverside.example');

      const concern = await dsp.post<Concern>('/api/concerns', {
        pupilId: (await dsp.pupils())[0].id,
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
        category: 'wellbeing',
        summary: 'Seemed withdrawn all morning and would not say why.',
        evidenceBasis: 'observed',
      });
      expect(concern.status).toBe(201);
      const decided = await dsp.post(`/api/concerns/${concern.body.id}/decision`, {
        outcome: 'mash',
        rationale: 'Want MASH to know.',
      });
      expect(decided.status).toBe(201);
      const referral = await dsp.post<Escalation>(`/api/concerns/${concern.body.id}/escalations`, {
        route: 'mash',
        reasonForRoute: 'I want Children’s Services to hear about this today.',
        consent: { sought: true, given: true, givenBy: 'Mother' },
      });
      expect(referral.status).toBe(201);
      const outcome = await testApp.as('mash@cardiff.example').post(`/api/la/escalations/${referral.body.id}/outcome`, {
        outcome: 'redirect_early_help',
        note: 'Early help is the right route.',
      });
      expect(outcome.status).toBe(201);

      const after = byName(await reportAs('lead@cardiff.example'));
      const riverside = (report: Record<string, Item>) => report['Riverside Primary'];
      expect(riverside(after).concerns).toBe(riverside(before).concerns + 1);
      expect(riverside(after).decisions).toEqual({
        ...riverside(before).decisions,
        mash: riverside(before).decisions.mash + 1,
      });
      // The redirect's early-help referral is not Riverside's own early-help referral.
      expect(riverside(after).escalations).toEqual({
        ...riverside(before).escalations,
        mash: riverside(before).escalations.mash + 1,
      });
      expect(riverside(after).mashRedirectedToEarlyHelp).toBe(riverside(before).mashRedirectedToEarlyHelp + 1);
      expect(riverside(after).mashNoFurtherAction).toBe(riverside(before).mashNoFurtherAction);
      // MASH for a wellbeing concern is going UP: never counted as against the guidance.
      expect(riverside(after).againstRecommendation).toBe(riverside(before).againstRecommendation);
      expect(after['Hillcrest High']).toEqual(before['Hillcrest High']);
      expect(after['Bridge PRU']).toEqual(before['Bridge PRU']);

      const ownAfter = await reportAs('dsp@riverside.example');
      expect(ownAfter.totals.concerns).toBe(ownBefore.totals.concerns + 1);
      expect(ownAfter.totals.escalations.mash).toBe(ownBefore.totals.escalations.mash + 1);
    });

    it('shows a DSP or head teacher their own organisation only', async () => {
      for (const [email, name] of [
        ['dsp@riverside.example', 'Riverside Primary'],
        ['head@hillcrest.example', 'Hillcrest High'],
        ['dsp@bridge.example', 'Bridge PRU'],
      ]) {
        const report = await reportAs(email);
        expect(report.items.map((item) => item.name)).toEqual([name]);
        expect(report.totals).toEqual(numbersOf(report.items[0]));
      }
    });

    it('refuses MASH, early help, admin and school staff (403)', async () => {
      for (const email of [
        'mash@cardiff.example',
        'earlyhelp@cardiff.example',
        'admin@cardiff.example',
        'teacher@riverside.example',
      ]) {
        const response = await testApp.as(email).get('/api/reports/referral-balance');
        expect(response.status).toBe(403);
        expect(response.body).toMatchObject({ statusCode: 403 });
      }
    });

    it('is in the OpenAPI document, with its from / to parameters', async () => {
      const document = await testApp.http().get('/api/openapi.json');
      const { paths } = document.body as {
        paths: Record<string, { get?: { parameters: Array<{ name: string; in: string }> } }>;
      };
      const operation = paths['/api/reports/referral-balance']?.get;
      expect(operation).toBeDefined();
      expect(operation!.parameters.map((parameter) => `${parameter.in}:${parameter.name}`).sort()).toEqual([
        'query:from',
        'query:to',
      ]);
    });

    it('asks for a sign-in', async () => {
      expect((await testApp.http().get('/api/reports/referral-balance')).status).toBe(401);
    });

    it('answers bad dates with 400 and errors keyed from / to', async () => {
      const get = (query: Record<string, string>) =>
        testApp.as('lead@cardiff.example').get<Required<ErrorBody>>('/api/reports/referral-balance', query);
      const notADate = await get({ from: '2026-02-30' });
      expect(notADate.status).toBe(400);
      expect(Object.keys(notADate.body.errors)).toEqual(['from']);
      const bothWrong = await get({ from: 'last week', to: '31/03/2026' });
      expect(bothWrong.status).toBe(400);
      expect(Object.keys(bothWrong.body.errors).sort()).toEqual(['from', 'to']);
      const backwards = await get({ from: '2026-03-01', to: '2026-02-01' });
      expect(backwards.status).toBe(400);
      expect(Object.keys(backwards.body.errors)).toEqual(['to']);
      expect((await get({ from: '2026-01-01', colour: 'red' })).status).toBe(400);
    });

    it('counts the period asked for', async () => {
      const report = await reportAs('lead@cardiff.example', { from: '2000-01-01', to: '2000-12-31' });
      expect(report.period).toEqual({ from: '2000-01-01', to: '2000-12-31' });
      expect(report.totals.concerns).toBe(0);
      expect(report.totals.escalations).toEqual({ mash: 0, early_help: 0, designated_officer: 0, police: 0 });
    });
  });

  describe('the pages', () => {
    const get = async (email: string, path: string, query: Record<string, string> = {}, language: 'en' | 'cy' = 'en') =>
      testApp
        .http()
        .get(path)
        .query(query)
        .set(await testApp.as(email).authorization())
        .set('Cookie', cookieHeader({ sg_lang: language }));
    const idOf = async (name: string) => byName(await reportAs('lead@cardiff.example'))[name].organisationId;

    it('shows the LA lead one table, one row per school and PRU, with a totals row, in English', async () => {
      const report = await reportAs('lead@cardiff.example');
      const page = await pageAs('lead@cardiff.example');
      expect(page.status).toBe(200);
      expect(page.text).toContain('<html lang="en"');
      expect(page.text).toContain('Referral balance');
      expect(page.text).toContain('Why the balance matters');
      expect(page.text.match(/<table class="govuk-table/g)).toHaveLength(1);
      expect(page.text).not.toContain('<svg');
      expect(rowNames(page.text)).toEqual(['Bridge PRU', 'Hillcrest High', 'Riverside Primary']);
      for (const item of report.items)
        expect(unescaped(page.text)).toContain(`href="/reports/referral-balance/${item.organisationId}?from=`);
      // Sorted by name (A to Z) unless asked: the name heading says so.
      expect(page.text).toMatch(
        /<th scope="col" class="govuk-table__header" aria-sort="ascending"><a [^>]*>School or PRU/,
      );
      const totals = page.text.slice(page.text.indexOf('<tfoot'));
      expect(totals).toContain('All schools and PRUs');
      expect(totals).toContain(`data-label="Concerns">${report.totals.concerns}</td>`);
      expect(totals).toContain(
        `data-label="At level 4 or 0, not referred">${report.totals.levelFourOrZeroNotReferred}</td>`,
      );
      expect(totals).toContain(`data-label="MASH referrals">${report.totals.escalations.mash}</td>`);
      expect(page.text).toMatch(/href="\/reports\/referral-balance"[^>]*aria-current="page"/);
      expect(page.text).not.toMatch(/\sstyle=/);
      expect(page.text).not.toMatch(HARM_WORDING);
      expect(page.text).not.toMatch(ABOVE_WORDING);
      expect(rawKeysIn(page.text)).toEqual([]);
    });

    it('sorts on the server by the column asked for, both ways, from links in the headings', async () => {
      // Make the concern counts differ from the name order: Bridge gets the most.
      const dsp = testApp.as('dsp@bridge.example');
      const pupilId = (await dsp.pupils())[0].id;
      const before = byName(await reportAs('lead@cardiff.example'));
      const most = Math.max(...Object.values(before).map((item) => item.concerns));
      for (let i = 0; i <= most - before['Bridge PRU'].concerns; i++) {
        const recorded = await dsp.post<Concern>('/api/concerns', {
          pupilId,
          occurredAt: new Date(Date.now() - 60_000).toISOString(),
          category: 'wellbeing',
          summary: 'Hungry again at breakfast club and asking for food to take home.',
          evidenceBasis: 'observed',
        });
        expect(recorded.status).toBe(201);
      }
      const items = (await reportAs('lead@cardiff.example')).items;
      const expected = (dir: 1 | -1) =>
        [...items]
          .sort((a, b) => dir * (a.concerns - b.concerns) || a.name.localeCompare(b.name))
          .map((item) => item.name);

      const highest = await pageAs('lead@cardiff.example', { sort: 'concerns', dir: 'desc' });
      expect(highest.status).toBe(200);
      expect(rowNames(highest.text)).toEqual(expected(-1));
      expect(rowNames(highest.text)[0]).toBe('Bridge PRU');
      expect(unescaped(highest.text)).toMatch(
        /aria-sort="descending"><a class="govuk-link app-report__sort" href="[^"]*sort=concerns&dir=asc"/,
      );
      // The name heading is no longer the sorted one.
      expect(highest.text).not.toContain('aria-sort="ascending"');

      const lowest = await pageAs('lead@cardiff.example', { sort: 'concerns', dir: 'asc' });
      expect(rowNames(lowest.text)).toEqual(expected(1));
      expect(rowNames(lowest.text)).not.toEqual(rowNames(highest.text));

      const byNameDown = await pageAs('lead@cardiff.example', { sort: 'name', dir: 'desc' });
      expect(rowNames(byNameDown.text)).toEqual(['Riverside Primary', 'Hillcrest High', 'Bridge PRU']);

      // The period form keeps the sort; a sort it does not know is a 400.
      expect(highest.text).toContain('<input type="hidden" name="sort" value="concerns">');
      expect((await pageAs('lead@cardiff.example', { sort: 'colour' })).status).toBe(400);
      expect((await pageAs('lead@cardiff.example', { sort: 'mash', dir: 'up' })).status).toBe(400);
    });

    it('is in Welsh for a Welsh reader, with no untranslated keys', async () => {
      const page = await pageAs('lead@cardiff.example', {}, 'cy');
      expect(page.status).toBe(200);
      expect(page.text).toContain('<html lang="cy"');
      expect(page.text).toContain('Cydbwysedd atgyfeirio');
      expect(page.text).toContain('Pam mae&#x27;r cydbwysedd yn bwysig');
      expect(page.text).toContain('Pob ysgol ac uned cyfeirio disgyblion');
      // Each school by its Welsh name.
      expect(rowNames(page.text)).toEqual(
        expect.arrayContaining(['Ysgol Gynradd Glan yr Afon', 'Ysgol Uwchradd Bryn Celyn', 'UCD y Bont']),
      );
      expect(page.text).not.toContain('Why the balance matters');
      expect(page.text).not.toMatch(HARM_WORDING);
      expect(page.text).not.toMatch(ABOVE_WORDING);
      expect(rawKeysIn(page.text)).toEqual([]);
    });

    it("shows one school's figures in full, both directions explained, agreeing with the API", async () => {
      const riverside = byName(await reportAs('lead@cardiff.example'))['Riverside Primary'];
      for (const language of ['en', 'cy'] as const) {
        const page = await get(
          'lead@cardiff.example',
          `/reports/referral-balance/${riverside.organisationId}`,
          {},
          language,
        );
        expect(page.status).toBe(200);
        expect(page.text).not.toMatch(HARM_WORDING);
        expect(page.text).not.toMatch(ABOVE_WORDING);
        expect(rawKeysIn(page.text)).toEqual([]);
        if (language === 'cy') continue;
        expect(page.text).toContain('<title>Referral balance: Riverside Primary');
        expect(unescaped(page.text)).toContain('<a href="/reports/referral-balance?from=');
        for (const heading of [
          'Reports that may be missing',
          'Referrals to MASH and what MASH decided',
          'Early-help referrals and what early help decided',
          'Concerns and the DSP&#x27;s latest decision',
        ])
          expect(page.text).toContain(heading);
        const figure = (label: string) =>
          Number(
            new RegExp(`>${label}</th>\\s*<td class="govuk-table__cell govuk-table__cell--numeric">(\\d+)<`).exec(
              page.text,
            )?.[1],
          );
        expect(figure('At level 4 or 0, not referred')).toBe(riverside.levelFourOrZeroNotReferred);
        expect(figure('Decided below the guidance')).toBe(riverside.decisionsBelowGuidance);
        expect(figure('Early-help referrals stepped up to MASH')).toBe(riverside.earlyHelpSteppedUpToMash);
        expect(figure('MASH referrals sent')).toBe(riverside.escalations.mash);
        expect(figure('Strategy discussion')).toBe(riverside.mashOutcomes.strategy_discussion);
        expect(figure('Care and support assessment')).toBe(riverside.mashOutcomes.care_and_support_assessment);
        expect(figure('Redirected to early help')).toBe(riverside.mashOutcomes.redirect_early_help);
        expect(figure('Information, advice and assistance')).toBe(riverside.mashOutcomes.information_advice_assistance);
        expect(figure('Concerns recorded')).toBe(riverside.concerns);
        expect(page.text).toContain('What it means');
      }
    });

    it('lets a DSP open their own school only: their table is their own page; another school is 404', async () => {
      const riverside = await idOf('Riverside Primary');
      const hillcrest = await idOf('Hillcrest High');
      const table = await pageAs('dsp@riverside.example', { from: '2025-09-01', to: '2026-03-31' });
      expect(table.status).toBe(303);
      expect(table.headers.location).toBe(`/reports/referral-balance/${riverside}?from=2025-09-01&to=2026-03-31`);
      const own = await get('dsp@riverside.example', `/reports/referral-balance/${riverside}`, {
        from: '2025-09-01',
        to: '2026-03-31',
      });
      expect(own.status).toBe(200);
      expect(own.text).toContain('Riverside Primary');
      expect(own.text).toContain('1 September 2025 to 31 March 2026');
      expect(own.text).toContain('value="2025-09-01"');
      expect(own.text).not.toContain('Hillcrest High');
      // No way back to a table of every school.
      expect(own.text).not.toContain('govuk-back-link');
      expect((await get('dsp@riverside.example', `/reports/referral-balance/${hillcrest}`)).status).toBe(404);
      expect((await get('head@hillcrest.example', `/reports/referral-balance/${hillcrest}`)).status).toBe(200);
      expect((await get('head@hillcrest.example', `/reports/referral-balance/${riverside}`)).status).toBe(404);
    });

    it("lets the LA lead open every school of the LA, but not another LA's (404); MASH and others 403", async () => {
      for (const item of (await reportAs('lead@cardiff.example')).items)
        expect((await get('lead@cardiff.example', `/reports/referral-balance/${item.organisationId}`)).status).toBe(
          200,
        );
      const factory = new Factory(testApp.dataSource);
      const elsewhere = await factory.school(await factory.localAuthority({ name: 'Elsewhere (e2e)' }), {
        name: 'Elsewhere School',
      });
      const other = await get('lead@cardiff.example', `/reports/referral-balance/${elsewhere.id}`);
      expect(other.status).toBe(404);
      expect(other.text).not.toContain('Elsewhere School');
      const riverside = await idOf('Riverside Primary');
      for (const email of ['mash@cardiff.example', 'earlyhelp@cardiff.example', 'teacher@riverside.example'])
        expect((await get(email, `/reports/referral-balance/${riverside}`)).status).toBe(403);
      expect((await get('lead@cardiff.example', '/reports/referral-balance/not-an-id')).status).toBe(400);
    });

    it('re-renders the form with an error summary for dates it cannot read, keeping what was typed', async () => {
      const page = await pageAs('lead@cardiff.example', { from: '2026-02-30', to: '2026-01-01' });
      expect(page.status).toBe(400);
      expect(page.text).toContain('govuk-error-summary');
      expect(page.text).toContain('<a href="#from">Enter the start date as a real date, for example 2025-09-01</a>');
      expect(page.text).toContain('id="from-error"');
      expect(page.text).toContain('value="2026-02-30"');
      expect(page.text).toContain('<title>There is a problem: Referral balance');
      expect(page.text).not.toContain('<table');

      const backwards = await pageAs('lead@cardiff.example', { from: '2026-03-01', to: '2026-02-01' }, 'cy');
      expect(backwards.status).toBe(400);
      expect(backwards.text).toContain('<a href="#to">');
      expect(backwards.text).toContain('Rhaid i&#x27;r dyddiad gorffen fod yr un fath');
      expect(rawKeysIn(backwards.text)).toEqual([]);

      const riverside = await idOf('Riverside Primary');
      const own = await get('dsp@riverside.example', `/reports/referral-balance/${riverside}`, { from: 'soon' });
      expect(own.status).toBe(400);
      expect(own.text).toContain('<a href="#from">');
      expect(own.text).toContain('value="soon"');
      expect(own.text).toContain('Riverside Primary');
    });

    it('gives other roles the 403 page and leaves the report out of their menu', async () => {
      for (const email of [
        'mash@cardiff.example',
        'earlyhelp@cardiff.example',
        'admin@cardiff.example',
        'teacher@riverside.example',
      ]) {
        const page = await pageAs(email);
        expect(page.status).toBe(403);
        expect(page.text).toContain('You cannot do this');
        expect(page.text).not.toContain('href="/reports/referral-balance"');
      }
      const home = await testApp
        .http()
        .get('/')
        .set(await testApp.as('head@riverside.example').authorization());
      expect(home.text).toContain('href="/reports/referral-balance"');
    });

    it('sends a visitor who is not signed in to the sign-in page', async () => {
      const page = await testApp.http().get('/reports/referral-balance');
      expect(page.status).toBe(303);
      expect(page.headers.location).toBe('/login?next=%2Freports%2Freferral-balance');
    });
  });
});
