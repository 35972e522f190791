import { Response } from 'express';

/**
 * A template value computed only if a page is rendered (Express copies `res.locals` into the view's
 * options, reading each one then), not for every API call and redirect; once at most. Assigning to it
 * replaces it as for a plain value.
 */
export function lazyLocal<T>(response: Response, name: string, compute: () => T): void {
  let computed = false;
  let value: T;
  Object.defineProperty(response.locals, name, {
    enumerable: true,
    configurable: true,
    get: () => {
      if (!computed) {
        value = compute();
        computed = true;
      }
      return value;
    },
    set: (replaced: T) => {
      value = replaced;
      computed = true;
    },
  });
}
