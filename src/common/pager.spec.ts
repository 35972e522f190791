import { pagerFor } from './pager';

const hrefOf = (n: number) => `/list?page=${n}`;
const numbers = (page: number, pages: number) =>
  pagerFor({ page, pageSize: 50, total: pages * 50 }, hrefOf)?.links.map((link) =>
    'ellipsis' in link ? null : link.number,
  );

describe(pagerFor.name, () => {
  it('shows no pager when the list fits on one page', () => {
    expect(pagerFor({ page: 1, pageSize: 50, total: 50 }, hrefOf)).toBeNull();
    expect(pagerFor({ page: 1, pageSize: 50, total: 0 }, hrefOf)).toBeNull();
  });

  it('links every page of a short list', () => {
    expect(numbers(2, 3)).toEqual([1, 2, 3]);
  });

  it('links the first, the last and the current page with its neighbours, gaps as ellipses', () => {
    expect(numbers(1, 940)).toEqual([1, 2, null, 940]);
    expect(numbers(2, 940)).toEqual([1, 2, 3, null, 940]);
    expect(numbers(500, 940)).toEqual([1, null, 499, 500, 501, null, 940]);
    expect(numbers(940, 940)).toEqual([1, null, 939, 940]);
  });

  it('says which items are shown, and offers previous and next only where there are some', () => {
    const pager = pagerFor({ page: 3, pageSize: 50, total: 120 }, hrefOf)!;
    expect(pager).toMatchObject({ page: 3, pages: 3, first: 101, last: 120, total: 120, next: null });
    expect(pager.previous).toBe('/list?page=2');
    expect(pagerFor({ page: 1, pageSize: 50, total: 120 }, hrefOf)).toMatchObject({
      previous: null,
      next: '/list?page=2',
    });
  });

  it('still offers a way back from a page past the end', () => {
    expect(pagerFor({ page: 9, pageSize: 50, total: 120 }, hrefOf)).toMatchObject({
      previous: '/list?page=3',
      next: null,
    });
  });
});
