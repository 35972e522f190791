import { Request, Response } from 'express';
import { BODY_LIMITS, bodyShapeProblem, rejectUnboundedBodies } from './request-hygiene';

describe(bodyShapeProblem.name, () => {
  it('passes what the forms and the API send', () => {
    expect(bodyShapeProblem(undefined)).toBeNull();
    expect(bodyShapeProblem({})).toBeNull();
    expect(
      bodyShapeProblem({
        pupilId: 'x',
        issues: ['attendance', 'neglect'],
        bodyMap: Array.from({ length: 50 }, () => ({ view: 'front', x: 0.5, y: 0.5, note: 'bruise' })),
        referral: { householdMembers: [{ name: 'A', relationship: 'mother' }] },
      }),
    ).toBeNull();
  });

  it('names the first array over the limit, however deep', () => {
    expect(bodyShapeProblem({ bodyMap: new Array(BODY_LIMITS.arrayItems + 1).fill({}) })).toEqual({
      field: 'bodyMap',
      message: 'bodyMap has more than 200 items',
    });
    expect(bodyShapeProblem({ referral: { householdMembers: new Array(1000).fill(1) } })?.field).toBe(
      'referral.householdMembers',
    );
  });

  it('refuses nesting deeper than the limit without recursing into it', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i += 1) deep = { a: deep };
    expect(bodyShapeProblem(deep)?.message).toMatch(/nested more than 12 levels deep/);
  });

  it('stops after a bounded number of values', () => {
    const wide = Array.from({ length: 200 }, () => Array.from({ length: 200 }, () => 1));
    expect(bodyShapeProblem({ wide })?.message).toMatch(/more than 20000 values/);
  });

  it('refuses keys that reach a prototype, and objects with too many fields', () => {
    expect(bodyShapeProblem(JSON.parse('{"a":{"__proto__":{"x":1}}}'))).toEqual({
      field: 'a.__proto__',
      message: 'a.__proto__ is not a field this service reads',
    });
    expect(bodyShapeProblem({ constructor: 1 })?.field).toBe('constructor');
    expect(bodyShapeProblem(Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`f${i}`, i])))?.message).toMatch(
      /more than 200 fields/,
    );
  });
});

describe(rejectUnboundedBodies.name, () => {
  const answer = (request: Partial<Request>) => {
    const response = {
      status: jest.fn<unknown, [number]>().mockReturnThis(),
      json: jest.fn().mockReturnThis(),
    };
    const next = jest.fn();
    rejectUnboundedBodies(request as Request, response as unknown as Response, next);
    return { next, status: response.status.mock.calls[0]?.[0], json: response.json };
  };

  it('refuses a prototype key in the query as in the body, naming it (a DTO would not see it)', () => {
    // What the query parser gives for `?page=1&constructor=x` and `?__proto__=x`: own keys, no prototype.
    for (const query of [
      Object.assign(Object.create(null) as Request['query'], { page: '1', constructor: 'x' }),
      JSON.parse('{"__proto__":"x"}') as Request['query'],
    ]) {
      const { next, status, json } = answer({ body: undefined, query });
      expect(next).not.toHaveBeenCalled();
      expect(status).toBe(400);
      expect(json).toHaveBeenCalledWith(
        expect.objectContaining({
          errors: { [Object.keys(query).pop()!]: [expect.stringMatching(/is not a field this service reads/)] },
        }),
      );
    }
  });

  it('lets an ordinary query and body through', () => {
    expect(answer({ body: { summary: 'x' }, query: { page: '1', q: 'ann' } }).next).toHaveBeenCalled();
  });
});
