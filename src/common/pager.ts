/**
 * The govuk pagination component's model for a paged list page (API.md, Paging): previous and next,
 * and page numbers around the current one with the first and last always shown (gaps as ellipses),
 * so a list of 1,200 pages draws a dozen links. `hrefOf(n)` builds a page's address; null when the
 * list fits on one page.
 */
export interface Pager {
  page: number;
  pages: number;
  /** The 1-based positions of the first and last item shown, of `total`. */
  first: number;
  last: number;
  total: number;
  previous: string | null;
  next: string | null;
  links: Array<{ number: number; href: string; current: boolean } | { ellipsis: true }>;
}

export function pagerFor(
  paging: { page: number; pageSize: number; total: number },
  hrefOf: (page: number) => string,
): Pager | null {
  const { page, pageSize, total } = paging;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1 && page <= 1) return null;
  const shown = new Set([1, pages, page - 1, page, page + 1].filter((n) => n >= 1 && n <= pages));
  const links: Pager['links'] = [];
  let previous = 0;
  for (const n of [...shown].sort((a, b) => a - b)) {
    if (n - previous > 1) links.push({ ellipsis: true });
    links.push({ number: n, href: hrefOf(n), current: n === page });
    previous = n;
  }
  return {
    page,
    pages,
    first: Math.min((page - 1) * pageSize + 1, total),
    last: Math.min(page * pageSize, total),
    total,
    previous: page > 1 ? hrefOf(Math.min(page - 1, pages)) : null,
    next: page < pages ? hrefOf(page + 1) : null,
    links,
  };
}
