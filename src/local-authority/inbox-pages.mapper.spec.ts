import { pageLinks } from './inbox-pages.mapper';

describe(pageLinks.name, () => {
  it('links every page when there are few', () => {
    expect(pageLinks(1, 1)).toEqual([1]);
    expect(pageLinks(2, 3)).toEqual([1, 2, 3]);
  });

  it('links the first, the last and the neighbours of the current page of 940, with gaps marked', () => {
    expect(pageLinks(1, 940)).toEqual([1, 2, null, 940]);
    expect(pageLinks(2, 940)).toEqual([1, 2, 3, null, 940]);
    expect(pageLinks(500, 940)).toEqual([1, null, 499, 500, 501, null, 940]);
    expect(pageLinks(940, 940)).toEqual([1, null, 939, 940]);
  });
});
