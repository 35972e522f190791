import { DspWorklist, WorklistPage } from '../dsp/dsp-worklist';
import type { DashboardSection } from './dashboard.service';

/** A section's paging, as links that keep the page's other sections on their first page. */
export function paged<T>(section: DashboardSection, page: WorklistPage<T>) {
  const from = page.total === 0 ? 0 : (page.page - 1) * page.pageSize + 1;
  const to = Math.min(page.total, page.page * page.pageSize);
  const href = (n: number) => `/?section=${section}&page=${n}#${section}`;
  return {
    id: section,
    total: page.total,
    items: page.items,
    from,
    to,
    /** More than one page: say how many there are and offer the others. */
    paged: page.total > page.pageSize,
    previousHref: page.page > 1 ? href(page.page - 1) : null,
    nextHref: to < page.total ? href(page.page + 1) : null,
  };
}

/** The DSP's sections as the dashboard shows them, each with its true total and its paging. */
export function worklistView(worklist: DspWorklist) {
  return {
    emergencies: worklist.emergencies,
    queue: paged('queue', worklist.queue),
    staffReports: paged('staffReports', worklist.staffReports),
    phoned: paged('phoned', worklist.phoned),
    notSent: paged('notSent', worklist.notSent),
    below: paged('below', worklist.below),
    chase: paged('chase', worklist.chase),
  };
}
