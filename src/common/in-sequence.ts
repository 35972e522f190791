/**
 * Runs queries one after another and returns their results in order, like Promise.all. Inside a
 * transaction every query goes through one connection: pg does not allow overlapping queries on one
 * client (and SQLite has a single connection anyway), so there is nothing to gain from overlap.
 */
export async function inSequence<T extends readonly unknown[]>(tasks: {
  readonly [K in keyof T]: () => Promise<T[K]>;
}): Promise<T> {
  const results: unknown[] = [];
  for (const task of tasks as ReadonlyArray<() => Promise<unknown>>) results.push(await task());
  return results as unknown as T;
}
