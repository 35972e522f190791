import { NextFunction, Request, Response } from 'express';
import { hasControlCharacters } from '../common/validation';

/**
 * A path that does not decode, or decodes to control characters (a NUL in an id, say), names no
 * record: answer 400 here rather than let PostgreSQL fail on the byte with a 500.
 */
export function rejectUnreadablePaths(request: Request, response: Response, next: NextFunction): void {
  let path: string;
  try {
    path = decodeURIComponent(request.path);
  } catch {
    path = '\u0000';
  }
  if (!hasControlCharacters(path)) return next();
  response.status(400).json({ statusCode: 400, message: 'The address is not valid', errors: {} });
}

/**
 * Pages and API answers carry pupil data: never stored by the browser (so Back after signing out on a
 * shared school computer shows nothing) nor by proxies. Static assets set their own caching.
 */
export function noStore(request: Request, response: Response, next: NextFunction): void {
  if (request.path.startsWith('/assets/')) return next();
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('Pragma', 'no-cache');
  next();
}

/**
 * The most any request body may hold before a DTO is built from it: 100,000 empty body-map marks held
 * the event loop for half a minute while class-transformer built and class-validator checked each one.
 * This bound is checked first, in one bounded walk. Each list then has its own, smaller maximum
 * (body-map marks 50, linked pupils 20, household members 20: `AtMostItems`, which sets a longer list
 * aside before any of its items is checked); docs/security.md lists them.
 */
/** `arrayItems` also bounds an object's fields. */
export const BODY_LIMITS = { depth: 12, arrayItems: 200, values: 20_000 } as const;

/** Keys that would reach an object's prototype if anything ever copied them. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface BodyShapeProblem {
  field: string;
  message: string;
}

/**
 * The first way `body` is out of bounds, or null. Stops at the first problem and never looks at more
 * than BODY_LIMITS.values values or deeper than BODY_LIMITS.depth, so its cost is bounded whatever
 * was sent.
 */
export function bodyShapeProblem(body: unknown): BodyShapeProblem | null {
  let values = 0;
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: body, path: '', depth: 0 }];
  const name = (path: string) => path || 'body';
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    values += 1;
    if (values > BODY_LIMITS.values)
      return { field: name(path), message: `The request holds more than ${BODY_LIMITS.values} values` };
    if (value === null || typeof value !== 'object') continue;
    if (depth >= BODY_LIMITS.depth)
      return { field: name(path), message: `${name(path)} is nested more than ${BODY_LIMITS.depth} levels deep` };
    if (Array.isArray(value)) {
      if (value.length > BODY_LIMITS.arrayItems)
        return { field: name(path), message: `${name(path)} has more than ${BODY_LIMITS.arrayItems} items` };
      value.forEach((item, index) => stack.push({ value: item, path: `${path}[${index}]`, depth: depth + 1 }));
      continue;
    }
    const keys = Object.keys(value);
    if (keys.length > BODY_LIMITS.arrayItems)
      return { field: name(path), message: `${name(path)} has more than ${BODY_LIMITS.arrayItems} fields` };
    for (const key of keys) {
      const at = path ? `${path}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) return { field: at, message: `${at} is not a field this service reads` };
      stack.push({ value: (value as Record<string, unknown>)[key], path: at, depth: depth + 1 });
    }
  }
  return null;
}

/**
 * Refuses (400, naming the field) a parsed body or query out of BODY_LIMITS before anything reads it.
 * The query too: class-transformer skips `__proto__` and `constructor`, so `?constructor=x` passed a
 * DTO that forbids unknown fields (found by the DTO fuzz test).
 */
export function rejectUnboundedBodies(request: Request, response: Response, next: NextFunction): void {
  const problem = bodyShapeProblem(request.body) ?? bodyShapeProblem(request.query);
  if (!problem) return next();
  response.status(400).json({
    statusCode: 400,
    message: 'The request is too large or too deeply nested to read',
    errors: { [problem.field]: [problem.message] },
  });
}
