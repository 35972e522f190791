import { sortItems } from './referral-balance.columns';
import { ReferralBalanceItem, sumCounts } from './referral-balance.service';
import { toReferralBalanceTable } from './referral-balance.view';

const item = (name: string, concerns: number, unreported: number): ReferralBalanceItem => ({
  ...sumCounts([]),
  organisationId: `id-${name}`,
  name,
  nameCy: null,
  kind: 'school',
  concerns,
  levelFourOrZeroNotReferred: unreported,
  // The lead's figure: it must never reach a page.
  aboveGuidance: 7,
});

const items = [item('Cedar', 5, 0), item('Ash', 5, 2), item('Birch', 9, 1)];
const names = (sorted: ReferralBalanceItem[]) => sorted.map((one) => one.name);

describe('sorting the referral-balance table', () => {
  it('sorts by name either way', () => {
    expect(names(sortItems(items, 'name', 'asc'))).toEqual(['Ash', 'Birch', 'Cedar']);
    expect(names(sortItems(items, 'name', 'desc'))).toEqual(['Cedar', 'Birch', 'Ash']);
  });

  it('sorts by a figure either way, equal figures in name order', () => {
    expect(names(sortItems(items, 'concerns', 'desc'))).toEqual(['Birch', 'Ash', 'Cedar']);
    expect(names(sortItems(items, 'concerns', 'asc'))).toEqual(['Ash', 'Cedar', 'Birch']);
    expect(names(sortItems(items, 'unreported', 'desc'))).toEqual(['Ash', 'Birch', 'Cedar']);
  });

  it('marks the sorted heading and links it the other way round; other headings start at their usual way', () => {
    const report = { items, totals: sumCounts(items), period: { from: '2025-09-01', to: '2026-03-31' } };
    const table = toReferralBalanceTable(report, 'concerns', 'desc').report!;
    const [name, concerns, unreported] = table.headers;
    expect(concerns.ariaSort).toBe('descending');
    expect(concerns.href).toBe('/reports/referral-balance?from=2025-09-01&to=2026-03-31&sort=concerns&dir=asc');
    expect(name.ariaSort).toBeNull();
    expect(name.href).toContain('sort=name&dir=asc');
    expect(unreported.href).toContain('sort=unreported&dir=desc');
    expect(table.rows.map((row) => row.name)).toEqual(['Birch', 'Ash', 'Cedar']);
    expect(table.totals[0]).toEqual({ labelKey: 'reports.columns.concerns', value: 19 });
    expect(JSON.stringify(table)).not.toContain('aboveGuidance');
  });
});
