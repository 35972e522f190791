import { PupilSummary } from '../support/api';
import { bootTestApp, TestApp } from '../support/test-app';
import { openPageSession } from '../support/web-session';

type Listed = { items: Array<{ id: string; status: string }>; page: number; pageSize: number; total: number };

/**
 * Issue 9: the concern list pages (API.md, Paging) with the true total, every concern reachable, bad
 * paging a 400 naming the field; the dashboard's open concerns page with govuk pagination in both languages.
 */
describe('Paging the concern lists (API and dashboard, EN and CY)', () => {
  let testApp: TestApp;
  let pupils: PupilSummary[];

  beforeAll(async () => {
    testApp = await bootTestApp();
    pupils = await testApp.as('teacher@riverside.example').pupils();
  });

  afterAll(() => testApp.close());

  /** `howMany` concerns recorded by the teacher and decided (open) by the DSP, over the API. */
  const openConcerns = async (howMany: number) => {
    const ids: string[] = [];
    for (let i = 0; i < howMany; i += 1) {
      const { id } = await testApp.as('teacher@riverside.example').created('/api/concerns', {
        pupilId: pupils[i % pupils.length].id,
        occurredAt: new Date(Date.now() - 3600 * 1000).toISOString(),
        category: 'wellbeing',
        summary: `Paging ${i}`,
        evidenceBasis: 'observed',
      });
      await testApp.as('dsp@riverside.example').created(`/api/concerns/${id}/decision`, {
        outcome: 'monitor',
        rationale: 'Keep an eye on it',
      });
      ids.push(id);
    }
    return ids;
  };

  it('answers {items, page, pageSize, total} and reaches every concern by paging, each once', async () => {
    await openConcerns(3);
    const dsp = testApp.as('dsp@riverside.example');
    const first = await dsp.read<Listed>('/api/concerns');
    expect(first).toMatchObject({ page: 1, pageSize: 50 });
    expect(first.total).toBeGreaterThanOrEqual(3);
    const seen: string[] = [];
    for (let page = 1; page <= Math.ceil(first.total / 2); page += 1) {
      const listed = await dsp.read<Listed>('/api/concerns', { page: String(page), pageSize: '2' });
      expect(listed).toMatchObject({ page, pageSize: 2, total: first.total });
      seen.push(...listed.items.map((item) => item.id));
    }
    expect(seen).toHaveLength(first.total);
    expect(new Set(seen).size).toBe(first.total);
    const open = await dsp.read<Listed>('/api/concerns', { status: 'open', pageSize: '200' });
    expect(open.items).toHaveLength(Math.min(open.total, 200));
    expect(open.items.every((item) => item.status === 'open')).toBe(true);
  });

  it('refuses bad paging with 400 and the field', async () => {
    const dsp = testApp.as('dsp@riverside.example');
    for (const [query, field] of [
      [{ page: '0' }, 'page'],
      [{ page: 'two' }, 'page'],
      [{ page: '-1' }, 'page'],
      [{ pageSize: '0' }, 'pageSize'],
      [{ pageSize: '201' }, 'pageSize'],
      [{ pageSize: '1.5' }, 'pageSize'],
    ] as const) {
      const response = await dsp.get<{ errors: Record<string, string[]> }>('/api/concerns', query);
      expect(response.status).toBe(400);
      expect(Object.keys(response.body.errors)).toEqual([field]);
    }
  });

  it('pages the open concerns on the dashboard with the true total, in Welsh', async () => {
    await openConcerns(11);
    const total = (await testApp.as('dsp@riverside.example').read<Listed>('/api/concerns', { status: 'open' })).total;
    expect(total).toBeGreaterThan(10);
    const dsp = await openPageSession(testApp, 'dsp@riverside.example', { language: 'cy' });
    const page = await dsp.get('/');
    expect(page.status).toBe(200);
    // Handlebars writes = in an attribute as &#x3D;.
    const section = page.text.slice(page.text.indexOf('id="open"')).replace(/&#x3D;/g, '=');
    expect(section).toContain(`<span class="app-count">${total}</span>`);
    expect(section).toContain('govuk-pagination');
    expect(section).toContain(`Yn dangos 1 i 10 o ${total}`);
    expect(section).toContain('href="/?section=open&amp;page=2#open"');
    expect(section).toContain('Tudalen nesaf');

    const last = Math.ceil(total / 10);
    const end = await dsp.get(`/?section=open&page=${last}`);
    expect(end.text.slice(end.text.indexOf('id="open"'))).toContain(
      `Yn dangos ${(last - 1) * 10 + 1} i ${total} o ${total}`,
    );
    expect((await dsp.get('/?section=open&page=0')).status).toBe(400);
  });
});
