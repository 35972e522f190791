import fc from 'fast-check';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  CONCERN_CATEGORIES,
  CONCERN_CONTEXTS,
  DECISION_OUTCOMES,
  ESCALATION_ROUTES,
  EVIDENCE_BASES,
  ISSUE_CODES,
  LINKED_PUPIL_ROLES,
  REASONABLE_CAUSE_ANSWERS,
  RISK_INDICATORS,
} from '../../src/guidance/codes';
import { CHRONOLOGY_KINDS } from '../../src/chronology/chronology.mapper';
import { CONCERN_STATUSES } from '../../src/dsp/concerns/dto/list-concerns.dto';
import { ESCALATION_STATUSES, LA_OUTCOMES } from '../../src/local-authority/inbox.dto';
import { DASHBOARD_SECTIONS } from '../../src/home/dashboard.service';
import { SORT_DIRECTIONS, SORT_KEYS } from '../../src/reports/referral-balance.columns';
import { DIRECTORY_DONE } from '../../src/guidance/directory/directory-pages.mapper';
import { INBOX_FILTERS } from '../../src/local-authority/inbox-pages.mapper';
import { ACCOUNT_PAGE_DONE } from '../../src/accounts/account-pages.mapper';
import { LANGUAGES } from '../../src/common/language';
import { ROLES } from '../../src/common/roles';
import { isValidUpn, upnFor } from '../../src/school/upn';
import { InboxItem, Paged, signInToApi } from '../support/api';
import {
  anyJson,
  deep,
  Field,
  invalidValue,
  Json,
  JsonObject,
  malformedJson,
  oddValidText,
  overLong,
  PROTOTYPE_KEYS,
  textWithControl,
  unknownKey,
  WIRE_CONTROL_CHARACTERS,
  wide,
  withOwn,
  without,
} from '../support/hostile-input';
import { bootTestApp, TestApp } from '../support/test-app';
import { cookieHeader, openPageSession, openSignInForm, PageSession } from '../support/web-session';

/**
 * Issue 10, Build item 5: hostile input to every DTO of the app, over HTTP, on whichever engine the
 * suite runs on. Every JSON body (API), query (API and pages) and page form (with its CSRF token) is
 * sent inputs that fast-check builds from a VALID request by making one or more fields certainly
 * invalid (wrong types, codes that are not codes, control characters, text over its limit, impossible
 * or future dates, too many items, one bad item, unknown and prototype fields, too deep, too wide, too
 * big, malformed JSON, too many form fields), with odd but valid Unicode as noise in other fields;
 * plus wholly random JSON. Each answer must be 400, 413 or 422, never a 500, never a success, and
 * come within HANG_GUARD_MS; at the end nothing a person could see has changed in the database.
 *
 * The seed is fixed (FUZZ_SEED varies it) and printed; a failure names the endpoint and the input,
 * and fast-check's report gives the seed and path to replay it (docs/security.md, "Fuzz testing").
 */

/** The seed: fixed so the suite is deterministic; FUZZ_SEED=<n> explores other inputs. */
const SEED = process.env.FUZZ_SEED === undefined ? 20_261_201 : Number(process.env.FUZZ_SEED);
/** At least this many inputs per run (the issue's floor). */
const MIN_INPUTS = 10_000;
/** Requests in flight at once (each property run sends one batch of this many). */
const CONCURRENCY = 4;
/**
 * A hang guard, not a speed test: an answer that has not come after this long counts as a failure
 * ("within a bounded time"). Generous, so a busy 2-core machine never trips it; the bounded cost of
 * validation itself is shown by request-hygiene.e2e-spec.ts (/health keeps answering).
 */
const HANG_GUARD_MS = 15_000;
/**
 * A fuzz test's own timeout: every batch may take up to the hang guard, so the test never times out
 * before the guard would have named the request that hung. A fuzz test is bounded by its work (its
 * runs), not by the clock: on a busy machine 1,600 answers can take longer than the tier's minute.
 */
const fuzzTimeout = (runs: number) => Math.ceil(runs / CONCURRENCY) * HANG_GUARD_MS;
/** What a hostile input may be answered with. */
const REFUSALS = new Set([400, 413, 422]);

const TEACHER = 'teacher@riverside.example';
const DSP = 'dsp@riverside.example';
const HEAD = 'head@riverside.example';
const MASH = 'mash@cardiff.example';
const LEAD = 'lead@cardiff.example';
const ADMIN = 'admin@cardiff.example';
/** Tokens no link has: a body that passes validation is a 404, so only the DTO can answer a hostile one. */
const NO_SUCH_TOKEN = 'no-such-token-fuzz';
/** A well-formed UPN, and the same with another check letter (so certainly malformed). */
const VALID_UPN = upnFor('681234526001');
const WRONG_CHECK_LETTER = `${VALID_UPN[0] === 'A' ? 'B' : 'A'}${VALID_UPN.slice(1)}`;

interface FuzzRequest {
  endpoint: string;
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** What was done to the valid request, for the failure message. */
  how: string;
  /** A 404 is a right answer too: an id field was changed to one the caller cannot see (a page looks the pupil up first). */
  allow404?: boolean;
  /** Odd but perhaps valid (a GET): any answer but a 5xx. */
  mayBeValid?: boolean;
}

/** Whether `how` changed one of `fields` (each part of `how` starts with the field it changed). */
const changed = (how: string, fields: string[] = []) =>
  how.split('; ').some((part) => fields.some((field) => new RegExp(`^${field}[=:\\[ ]`).test(part)));

/** fast-check prints an input with this, so a failure shows a readable, bounded description. */
function described(request: FuzzRequest): FuzzRequest {
  const short = (s: string) => (s.length > 600 ? `${s.slice(0, 600)}… (${s.length} characters)` : s);
  return Object.assign(request, {
    [fc.toStringMethod]: () =>
      `${request.method} ${short(request.path)} [${request.how}]${request.body === undefined ? '' : ` body: ${short(request.body)}`}`,
  });
}

// ---------- JSON bodies -------------------------------------------------------------------------

interface JsonEndpoint {
  name: string;
  /** POST unless said. */
  method?: 'POST' | 'PATCH';
  path: () => string;
  /** Whose Bearer token (undefined: signed out). */
  as?: string;
  fields: Record<string, Field>;
  /** A valid body, every field given, so mutations reach deep validation. */
  base: () => JsonObject;
  /** Free-text fields that take odd valid Unicode as noise. */
  noise: string[];
  runs: number;
}

/** A body of `endpoint` made certainly invalid in one to three ways, with odd valid text in other fields. */
function hostileJsonBody(endpoint: JsonEndpoint): fc.Arbitrary<{ body: string; how: string; type?: string }> {
  const names = Object.keys(endpoint.fields);
  const required = names.filter((n) => !endpoint.fields[n].optional);
  const base = endpoint.base();

  const fieldMutation: fc.Arbitrary<[string, (b: JsonObject) => JsonObject]> = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .constantFrom(...names)
        .chain((name) =>
          invalidValue(endpoint.fields[name]).map((bad): [string, (b: JsonObject) => JsonObject] => [
            `${name}: invalid`,
            (b) => withOwn(b, name, bad),
          ]),
        ),
    },
    // A body with no required field (PATCH /api/me) cannot miss one.
    ...(required.length
      ? [
          {
            weight: 1,
            arbitrary: fc
              .constantFrom(...required)
              .map((name): [string, (b: JsonObject) => JsonObject] => [`${name}: missing`, (b) => without(b, name)]),
          },
        ]
      : []),
    {
      weight: 1,
      arbitrary: fc
        .tuple(unknownKey(names), anyJson)
        .map(([key, value]): [string, (b: JsonObject) => JsonObject] => [
          `unknown field ${JSON.stringify(key)}`,
          (b) => withOwn(b, key, value),
        ]),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...names), fc.oneof(deep, wide))
        .map(([name, big]): [string, (b: JsonObject) => JsonObject] => [
          `${name}: too deep or too wide`,
          (b) => withOwn(b, name, big),
        ]),
    },
  );
  const noise = endpoint.noise.length
    ? fc.array(
        fc
          .tuple(fc.constantFrom(...endpoint.noise), oddValidText(200))
          .map(([name, text]) => (b: JsonObject) => ({ ...b, [name]: text })),
        { maxLength: 2 },
      )
    : fc.constant([]);

  const structured = fc
    .tuple(noise, fc.array(fieldMutation, { minLength: 1, maxLength: 3 }))
    .map(([noisy, mutations]) => {
      let body = base;
      for (const n of noisy) body = n(body);
      for (const [, mutate] of mutations) body = mutate(body);
      return { body: JSON.stringify(body), how: mutations.map(([how]) => how).join('; ') };
    });
  const random = fc
    .oneof(anyJson, fc.dictionary(fc.string({ maxLength: 10 }), anyJson, { maxKeys: 8 }) as fc.Arbitrary<Json>)
    .filter(
      (value) =>
        !(value !== null && typeof value === 'object' && !Array.isArray(value) && required.every((r) => r in value)),
    )
    .map((value) => ({ body: JSON.stringify(value), how: 'random JSON' }));
  const prototype = fc
    .tuple(fc.constantFrom(...PROTOTYPE_KEYS), anyJson)
    .map(([key, value]) => ({ body: JSON.stringify(withOwn(base, key, value)), how: `prototype key ${key}` }));
  // An empty body is an empty object to the JSON parser: refused only where a field is required.
  const malformed = malformedJson(JSON.stringify(base))
    .filter((text) => required.length > 0 || text.trim() !== '')
    .map((text) => ({ body: text, how: 'malformed JSON' }));
  const wrongContentType = fc
    .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml')
    .map((type) => ({
      body: JSON.stringify(without(base, required[0])),
      how: `${required[0]} missing, sent as ${type}`,
      type,
    }));
  const tooBig = fc.integer({ min: 1_100_000, max: 1_300_000 }).map((n) => ({
    body: JSON.stringify({ ...base, [names[0]]: 'x'.repeat(n) }),
    how: `${n} characters in ${names[0]} (over the 1 MB body limit)`,
  }));

  return fc.oneof(
    { weight: 40, arbitrary: structured },
    { weight: 4, arbitrary: random },
    { weight: 1, arbitrary: prototype },
    { weight: 2, arbitrary: malformed },
    // Unparsed, a body with no required field would be an empty, valid one: only where one is required.
    ...(required.length ? [{ weight: 1, arbitrary: wrongContentType }] : []),
    { weight: 1, arbitrary: tooBig },
  );
}

// ---------- Queries and page forms (text on the wire) -------------------------------------------

/** Percent-encodes every byte but the unreserved ones (lone surrogates cannot be sent: UTF-8 has none). */
const encode = (s: string) =>
  [...Buffer.from(s, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
const encodePairs = (pairs: Array<[string, string]>) => pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');

/** C0 and C1 controls only: a query or form is UTF-8 on the wire, where a lone surrogate cannot be written. */
const wireControlText = (max: number) => textWithControl(max, WIRE_CONTROL_CHARACTERS);

/** A query parameter or form field, and the values certainly invalid for it. */
type WireField =
  /** IsPlainText: control characters, too long, repeated. `invalid`: values the service refuses. */
  | { kind: 'text'; max: number; invalid?: string[] }
  /** IsString and a length only (a page's `lang`, `done`): too long or repeated. */
  | { kind: 'loose'; max: number }
  | { kind: 'choice'; values: readonly string[] }
  /** Whole number from min to max (`page`, `pageSize`, with conversion). */
  | { kind: 'int'; min: number; max: number }
  /** `?kind=a&kind=b` or `?kind=a,b` of these codes. */
  | { kind: 'list'; values: readonly string[] };

function invalidWireValue(field: WireField): fc.Arbitrary<string> {
  switch (field.kind) {
    case 'text':
      return fc.oneof(
        wireControlText(field.max),
        overLong(field.max),
        ...(field.invalid?.length ? [fc.constantFrom(...field.invalid)] : []),
      );
    case 'loose':
      return overLong(field.max);
    case 'choice':
    case 'list':
      return fc
        .oneof(
          fc.string({ maxLength: 20 }),
          wireControlText(20),
          fc.constantFrom(...field.values).map((v) => v.toUpperCase()),
          fc.constantFrom(...field.values).map((v) => `${v} `),
        )
        .filter((v) =>
          field.kind === 'list'
            ? !v.split(',').every((p) => p === '' || field.values.includes(p))
            : !field.values.includes(v),
        );
    case 'int':
      return fc
        .oneof(
          fc.integer({ min: field.max + 1 }).map(String),
          fc.integer({ max: field.min - 1 }).map(String),
          fc.constantFrom('1.5', 'abc', '', ' ', '1e400', '-0', 'NaN', 'Infinity', '½', '١', '1_000', '\u0000'),
          fc.string({ maxLength: 8 }),
        )
        .filter((v) => {
          const n = Number(v);
          return !(Number.isInteger(n) && n >= field.min && n <= field.max);
        });
  }
}

interface QueryEndpoint {
  name: string;
  path: () => string;
  /** API (Bearer) or page (cookies) as whom. */
  as: string;
  page: boolean;
  fields: Record<string, WireField>;
  base: () => Array<[string, string]>;
  /** Id fields a page looks up before it validates the rest: changing them may be a 404. */
  notFound?: string[];
  runs: number;
}

/**
 * A query made certainly invalid: a bad value, a repeated single value, or an unknown parameter; odd valid
 * text as noise. One in five is instead odd but perhaps valid (`mayBeValid`): the valid query with odd text,
 * and control characters where the DTO only bounds the length (`lang`, `done`, `pupilId` on the concern
 * form), so inputs that pass validation reach the service and the database too. A GET stores nothing.
 */
function hostileQuery(endpoint: QueryEndpoint): fc.Arbitrary<{ query: string; how: string; mayBeValid?: boolean }> {
  const names = Object.keys(endpoint.fields);
  const single = names.filter((n) => endpoint.fields[n].kind !== 'list');
  const text = names.filter((n) => endpoint.fields[n].kind === 'text' && !endpoint.fields[n].invalid);
  type Mutation = [string, (pairs: Array<[string, string]>) => Array<[string, string]>];
  const replace = (pairs: Array<[string, string]>, name: string, value: string): Array<[string, string]> => [
    ...pairs.filter(([k]) => k !== name),
    [name, value],
  ];
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .constantFrom(...names)
        .chain((name) =>
          invalidWireValue(endpoint.fields[name]).map((bad): Mutation => [
            `${name}=${JSON.stringify(bad.slice(0, 80))}`,
            (p) => replace(p, name, bad),
          ]),
        ),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...single), fc.string({ maxLength: 5 }))
        .map(([name, second]): Mutation => [`${name} repeated`, (p) => [...p, [name, second], [name, second]]]),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(unknownKey([...names, 'lang']), fc.string({ maxLength: 20 }))
        .filter(([key]) => !/[&=#]/.test(key))
        .map(([key, value]): Mutation => [`unknown parameter ${JSON.stringify(key)}`, (p) => [...p, [key, value]]]),
    },
  );
  const noise = text.length
    ? fc.array(fc.tuple(fc.constantFrom(...text), oddValidText(40, 0)), { maxLength: 2 })
    : fc.constant<Array<[string, string]>>([]);
  const invalid = fc.tuple(noise, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([noisy, mutations]) => {
    let pairs = endpoint.base();
    for (const [name, value] of noisy) pairs = replace(pairs, name, value);
    for (const [, mutate] of mutations) pairs = mutate(pairs);
    return { query: encodePairs(pairs), how: mutations.map(([how]) => how).join('; ') };
  });
  const loose = names.filter((n) => endpoint.fields[n].kind === 'loose');
  const odd = [...text, ...loose];
  if (!odd.length) return invalid;
  const oddValue = (name: string) => {
    const field = endpoint.fields[name];
    const max = field.kind === 'text' || field.kind === 'loose' ? field.max : 5;
    return field.kind === 'loose'
      ? fc.oneof(oddValidText(max, 0), wireControlText(max), fc.constantFrom('\u0000', 'a\u0000b', '%', '%zz', '%00'))
      : oddValidText(max, 0);
  };
  const oddButValid = fc
    .array(
      fc.constantFrom(...odd).chain((name) => oddValue(name).map((value): [string, string] => [name, value])),
      { minLength: 1, maxLength: 2 },
    )
    .map((changes) => {
      let pairs = endpoint.base();
      for (const [name, value] of changes) pairs = replace(pairs, name, value);
      return {
        query: encodePairs(pairs),
        how: `odd but perhaps valid: ${changes.map(([name, value]) => `${name}=${JSON.stringify(value.slice(0, 40))}`).join('; ')}`,
        mayBeValid: true,
      };
    });
  return fc.oneof({ weight: 4, arbitrary: invalid }, { weight: 1, arbitrary: oddButValid });
}

/** A page form's field, as posted (web/forms/form-fields.ts). */
type FormField = 'text' | 'choice' | 'checkboxes' | 'tick' | { rows: string[] };

interface FormEndpoint {
  name: string;
  path: () => string;
  /** Whose browser (undefined: signed out, with the sign-in form's CSRF cookie and token). */
  as?: string;
  fields: Record<string, FormField>;
  base: () => Array<[string, string]>;
  /** Fields whose text the API DTO checks with IsPlainText (a control character is a 400). */
  plainText: string[];
  /** Values certainly refused, per field. */
  invalid: Record<string, string[]>;
  /** Id fields the page looks up before it validates the rest: changing them may be a 404. */
  notFound?: string[];
  runs: number;
}

const POSTED_TEXT_MAX = 50_000;
const POSTED_CHOICE_MAX = 100;

type FormBody = { body: string; how: string; type: 'form' | 'json' };

function hostileForm(endpoint: FormEndpoint): fc.Arbitrary<FormBody> {
  const names = Object.keys(endpoint.fields);
  const scalar = names.filter((n) => ['text', 'choice', 'tick'].includes(endpoint.fields[n] as string));
  const rows = names.filter((n) => typeof endpoint.fields[n] === 'object');
  const checkboxes = names.filter((n) => endpoint.fields[n] === 'checkboxes');
  type Pairs = Array<[string, string]>;
  type Mutation = [string, (pairs: Pairs) => Pairs];
  const dropping = (pairs: Pairs, name: string) => pairs.filter(([k]) => k !== name && !k.startsWith(`${name}[`));
  const options: Array<fc.WeightedArbitrary<Mutation>> = [
    {
      weight: 2,
      arbitrary: fc
        .tuple(unknownKey(names), fc.string({ maxLength: 20 }))
        .filter(
          ([key]) => !/[[\]&=]/.test(key) && !(key in Object.prototype) && key !== '_csrf' && key !== 'submissionKey',
        )
        .map(([key, value]): Mutation => [`unknown field ${JSON.stringify(key)}`, (p) => [...p, [key, value]]]),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 1001, max: 1400 })
        .map((n): Mutation => [
          `${n} fields`,
          (p) => [...p, ...Array.from({ length: n }, (_, i): [string, string] => [`f${i}`, '1'])],
        ]),
    },
  ];
  if (scalar.length)
    options.push(
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.constantFrom(...scalar), fc.constantFrom('x', '0', '', '1'), fc.string({ maxLength: 10 }))
          .map(([name, key, value]): Mutation => [
            `${name}[${key}] (not text)`,
            (p) => [...dropping(p, name), [`${name}[${key}]`, value]],
          ]),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.constantFrom(...scalar), fc.string({ maxLength: 10 }))
          .map(([name, value]): Mutation => [
            `${name} twice`,
            (p) => [...dropping(p, name), [name, value], [name, value]],
          ]),
      },
      {
        weight: 2,
        arbitrary: fc
          .constantFrom(...scalar)
          .chain((name) =>
            overLong(endpoint.fields[name] === 'text' ? POSTED_TEXT_MAX : POSTED_CHOICE_MAX, 2000).map(
              (long): Mutation => [`${name}: ${long.length} characters`, (p) => [...dropping(p, name), [name, long]]],
            ),
          ),
      },
    );
  if (endpoint.plainText.length)
    options.push({
      weight: 4,
      arbitrary: fc
        // Not blank: a page takes a blank field as not given, and trim() counts \v and \f as blank.
        .tuple(
          fc.constantFrom(...endpoint.plainText),
          wireControlText(500).filter((t) => t.trim() !== ''),
        )
        .map(([name, bad]): Mutation => [`${name}: control character`, (p) => [...dropping(p, name), [name, bad]]]),
    });
  const invalidNames = Object.keys(endpoint.invalid);
  if (invalidNames.length)
    options.push({
      weight: 4,
      arbitrary: fc
        .constantFrom(...invalidNames)
        .chain((name) =>
          fc
            .constantFrom(...endpoint.invalid[name])
            .map((bad): Mutation => [`${name}=${JSON.stringify(bad)}`, (p) => [...dropping(p, name), [name, bad]]]),
        ),
    });
  if (rows.length)
    options.push({
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...rows),
          fc.constantFrom('', '[0]', '[x][y]', '[25][a]', '[0][0]'),
          fc.string({ maxLength: 10 }),
        )
        .map(([name, suffix, value]): Mutation => [
          `${name}${suffix} (not rows)`,
          (p) => [...dropping(p, name), [`${name}${suffix}`, value]],
        ]),
    });
  if (checkboxes.length)
    options.push({
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...checkboxes), fc.constantFrom('[a]', '[x][y]', '[0][1]'))
        .map(([name, suffix]): Mutation => [
          `${name}${suffix} (not ticks)`,
          (p) => [...dropping(p, name), [`${name}${suffix}`, 'x']],
        ]),
    });

  const formText = names.filter((n) => endpoint.fields[n] === 'text');
  const noise = formText.length
    ? fc.array(fc.tuple(fc.constantFrom(...formText), oddValidText(300)), { maxLength: 2 })
    : fc.constant<Pairs>([]);
  const posted = fc
    .tuple(noise, fc.array(fc.oneof(...options), { minLength: 1, maxLength: 3 }))
    .map(([noisy, mutations]): FormBody => {
      let pairs = endpoint.base();
      for (const [name, value] of noisy) pairs = [...dropping(pairs, name), [name, value]];
      for (const [, mutate] of mutations) pairs = mutate(pairs);
      return { body: encodePairs(pairs), how: mutations.map(([how]) => how).join('; '), type: 'form' };
    });
  // The same form as JSON (the app parses both): a field of the wrong type.
  const asJson = fc
    .tuple(
      names.length ? fc.constantFrom(...names) : unknownKey([]),
      fc.oneof(
        fc.integer(),
        fc.boolean(),
        fc.dictionary(fc.string({ maxLength: 5 }), anyJson, { minKeys: 1, maxKeys: 3 }),
        deep,
        wide,
        fc.array(fc.integer(), { minLength: 1, maxLength: 3 }),
      ),
    )
    .map(([name, bad]): FormBody => {
      const fields: JsonObject = {};
      for (const [k, v] of endpoint.base()) if (!k.includes('[')) fields[k] = v;
      return { body: JSON.stringify({ ...fields, [name]: bad }), how: `JSON with ${name} not text`, type: 'json' };
    });
  const tooBig = fc.integer({ min: 1_100_000, max: 1_300_000 }).map((n): FormBody => ({
    body: `${encodePairs(endpoint.base())}&${encode(names[0] ?? 'x')}=${'x'.repeat(n)}`,
    how: `${n} characters (over 1 MB)`,
    type: 'form',
  }));
  return fc.oneof(
    { weight: 40, arbitrary: posted },
    { weight: 4, arbitrary: asJson },
    { weight: 1, arbitrary: tooBig },
  );
}

// ---------- The run ------------------------------------------------------------------------------

describe('Hostile input to every DTO (fuzz)', () => {
  let testApp: TestApp;
  let baseUrl: string;
  const sessions: Record<string, PageSession> = {};
  let signedOut: { cookie: string; csrfToken: string };
  let sent = 0;
  let before: Record<string, unknown>;
  const ids = {
    pupil: '',
    otherPupil: '',
    concern: '',
    closeConcern: '',
    referral: '',
    service: '',
    organisation: '',
    /** An account the admin's membership form and API add to. */
    user: '',
    upn: '',
    dateOfBirth: '',
  };

  /** What a person could see change: records, decisions, referrals, settings, languages, the audit log. */
  async function snapshot(): Promise<Record<string, unknown>> {
    const count = async (table: string) =>
      Number(
        (await testApp.dataSource.query<Array<{ n: string | number }>>(`SELECT COUNT(*) AS n FROM ${table}`))[0].n,
      );
    const result: Record<string, unknown> = {};
    for (const table of [
      'concerns',
      'concern_decisions',
      'concern_closures',
      'concern_linked_pupils',
      'escalations',
      'escalation_acknowledgements',
      'escalation_outcomes',
      'idempotency_keys',
      'households',
      'pupils',
      'users',
      // Accounts and the roll: a hostile input must create no organisation, account, membership, link,
      // sign-in, two-factor secret or upload. Sessions too: the test's own sign-ins are all made before
      // this first snapshot (tokens and page sessions are opened once in beforeAll and reused).
      'organisations',
      'memberships',
      'invitations',
      'password_resets',
      'sessions',
      'two_factor_credentials',
      'two_factor_recovery_codes',
      'two_factor_challenges',
      'roll_uploads',
      'pupil_contact_details',
      'enrolments',
    ])
      result[table] = await count(table);
    // Changes only: a form answered 400 re-renders its page, and that read of pupil data is audited.
    const changes = `action NOT LIKE '%.viewed' AND action <> 'guidance.evaluated'`;
    result.auditedChanges = Number(
      (
        await testApp.dataSource.query<Array<{ n: string | number }>>(
          `SELECT (SELECT COUNT(*) FROM audit_entries WHERE ${changes}) + (SELECT COUNT(*) FROM audit_pending WHERE ${changes}) AS n`,
        )
      )[0].n,
    );
    result.directory = await testApp.dataSource.query('SELECT * FROM service_directory_entries ORDER BY id');
    result.settings = await testApp.dataSource.query('SELECT * FROM guidance_settings');
    // Every account as it was: name, email, language, notifications, active, password (a change or a reset).
    result.users = await testApp.dataSource.query('SELECT * FROM users ORDER BY id');
    result.organisationRows = await testApp.dataSource.query('SELECT * FROM organisations ORDER BY id');
    result.membershipRows = await testApp.dataSource.query('SELECT * FROM memberships ORDER BY id');
    return result;
  }

  async function send(request: FuzzRequest): Promise<{ status: number; text: string }> {
    sent += 1;
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${request.path}`, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(HANG_GUARD_MS),
      });
    } catch (error) {
      throw new Error(
        `${request.endpoint}: no answer within ${HANG_GUARD_MS} ms (${String(error)}) for [${request.how}]`,
        { cause: error },
      );
    }
    return { status: response.status, text: await response.text() };
  }

  /** Sends each batch at once; throws (and so fails the property, with the input) on any answer but a refusal. */
  function property(inputs: fc.Arbitrary<FuzzRequest>) {
    return fc.asyncProperty(fc.array(inputs, { minLength: CONCURRENCY, maxLength: CONCURRENCY }), async (batch) => {
      const answers = await Promise.all(batch.map(send));
      answers.forEach((answer, i) => {
        const request = batch[i];
        if (REFUSALS.has(answer.status) || (answer.status === 404 && request.allow404)) return;
        if (request.mayBeValid && answer.status < 500) return;
        throw new Error(
          `${request.endpoint} answered ${answer.status} to a hostile input [${request.how}]: ${answer.text.slice(0, 400)}\n` +
            `The input: ${String((request as unknown as Record<symbol, () => string>)[fc.toStringMethod]())}`,
        );
      });
    });
  }

  async function run(inputs: fc.Arbitrary<FuzzRequest>, inputsWanted: number) {
    // endOnFailure: shrinking would replay hundreds of requests; the first failing input is printed as it is.
    await fc.assert(property(inputs), {
      seed: SEED,
      numRuns: Math.ceil(inputsWanted / CONCURRENCY),
      endOnFailure: true,
    });
  }

  const bearer = async (email: string) => ({ Authorization: `Bearer ${await testApp.tokenFor(email)}` });
  const pageHeaders = (email: string) => ({ Cookie: cookieHeader(sessions[email].cookies) });

  beforeAll(async () => {
    // The seed, so any run can be replayed.
    console.log(`DTO fuzz: seed ${SEED} (FUZZ_SEED=${SEED} replays this run)`);
    testApp = await bootTestApp();
    await testApp.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${((testApp.app.getHttpServer() as Server).address() as AddressInfo).port}`;

    const dsp = testApp.as(DSP);
    const roll = await dsp.pupils();
    ids.pupil = roll[0].id;
    ids.otherPupil = roll[1].id;
    ids.organisation = (await dsp.me()).organisationId;
    // The valid bases are accepted (not a 400), so every mutation starts from a request that works.
    const teacher = testApp.as(TEACHER);
    const recorded = await teacher.post<{ id: string }>('/api/concerns', concernBase());
    expect(recorded.status).toBe(201);
    ids.concern = recorded.body.id;
    ids.closeConcern = (await teacher.created('/api/concerns', concernBase())).id;
    for (const [path, body] of [
      [`/api/concerns/${ids.concern}/decision`, decisionBase()],
      [`/api/concerns/${ids.concern}/escalations`, escalationBase()],
      [`/api/concerns/${ids.closeConcern}/close`, { rationale: 'Spoke to the family; nothing more for school.' }],
      ['/api/guidance/evaluate', evaluateBase()],
    ] as const) {
      const answer = await dsp.post(path, body);
      if (![200, 201, 422].includes(answer.status))
        throw new Error(`The valid base for ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
    ids.referral = (await testApp.as(MASH).read<Paged<InboxItem>>('/api/la/escalations')).items[0].id;
    const outcome = await testApp.as(MASH).post(`/api/la/escalations/${ids.referral}/outcome`, outcomeBase());
    if (![201, 422].includes(outcome.status))
      throw new Error(`The valid outcome answered ${outcome.status}: ${JSON.stringify(outcome.body)}`);
    // The sign-in base is well-formed: a wrong password (401), not a malformed request.
    expect((await signInToApi(testApp, loginBase())).status).toBe(401);
    // So are two-factor's: an unknown challenge (401); no setup, or two-factor off, for the teacher (422).
    expect(
      (await testApp.http().post('/api/auth/login/2fa').send({ challengeToken: 'no-such-challenge', code: '123456' }))
        .status,
    ).toBe(401);
    for (const [path, body] of [
      ['/api/auth/2fa/enable', { code: '123456', currentCode: 'abcd-efgh-2345' }],
      ['/api/auth/2fa/recovery-codes', { code: '123456' }],
      ['/api/auth/2fa/disable', { password: 'not the password', code: '123456' }],
    ] as const)
      expect((await testApp.as(TEACHER).post(path, body)).status).toBe(422);
    // The accounts bases are well-formed: another role's call is refused by the access policy (403),
    // which runs after validation, so they reach the deepest validation without creating anything.
    ids.user = (
      await testApp.dataSource.query<Array<{ id: string }>>(`SELECT id FROM users WHERE email = '${TEACHER}'`)
    )[0].id;
    const pupil = await dsp.read<{ upn: string; dateOfBirth: string }>(`/api/pupils/${ids.pupil}`);
    ids.upn = pupil.upn;
    ids.dateOfBirth = pupil.dateOfBirth;
    expect([isValidUpn(VALID_UPN), isValidUpn(WRONG_CHECK_LETTER), isValidUpn(VALID_UPN.toLowerCase())]).toEqual([
      true,
      false,
      false,
    ]);
    expect((await dsp.get('/api/pupils/lookup', { upn: ids.upn, dateOfBirth: ids.dateOfBirth })).status).toBe(200);
    for (const [path, body] of [
      ['/api/organisations', organisationBase()],
      ['/api/users', inviteBase()],
      [`/api/users/${ids.user}/memberships`, membershipBase()],
    ] as const)
      expect((await dsp.post(path, body)).status).toBe(403);
    // Links that do not exist (404), a wrong current password (422), an unknown email (202, nothing sent).
    expect((await testApp.http().post(`/api/invitations/${NO_SUCH_TOKEN}`).send(newPasswordBase())).status).toBe(404);
    expect(
      (await testApp.http().post(`/api/auth/password-reset/${NO_SUCH_TOKEN}`).send(newPasswordBase())).status,
    ).toBe(404);
    expect((await testApp.as(HEAD).post('/api/auth/password', changePasswordBase())).status).toBe(422);
    expect(
      (await testApp.http().post('/api/auth/password-reset').send({ email: 'nobody@example.invalid' })).status,
    ).toBe(202);
    const head = await testApp.as(HEAD).me();
    expect(
      (
        await testApp
          .http()
          .patch('/api/me')
          .set(await bearer(HEAD))
          .send(meBase())
      ).status,
    ).toBe(200);
    await testApp
      .http()
      .patch('/api/me')
      .set(await bearer(HEAD))
      .send({ language: head.language, emailNotifications: head.emailNotifications });
    ids.service = (
      await testApp.dataSource.query<Array<{ id: string }>>('SELECT id FROM service_directory_entries ORDER BY id')
    )[0].id;
    for (const email of [TEACHER, DSP, HEAD, MASH, LEAD, ADMIN]) {
      sessions[email] = await openPageSession(testApp, email);
      await testApp.tokenFor(email);
    }
    const signIn = await openSignInForm(testApp);
    signedOut = { cookie: cookieHeader({ sg_csrf: signIn.csrfCookie }), csrfToken: signIn.csrfToken };
    before = await snapshot();
  });

  afterAll(() => testApp.close());

  const loginBase = (): JsonObject => ({ email: 'nobody@example.invalid', password: 'not the password' });
  const outcomeBase = (): JsonObject => ({ outcome: 'strategy_discussion', note: 'Strategy meeting on Monday.' });
  const concernBase = (): JsonObject => ({
    pupilId: ids.pupil,
    occurredAt: new Date(Date.now() - 2 * 3_600_000).toISOString(),
    category: 'neglect',
    issues: ['young_carer', 'attendance'],
    indicators: [],
    context: 'family',
    summary: 'Came to school hungry three days running; said there is no food at home.',
    childsWords: 'Mae mam yn sâl.',
    childsWordsLanguage: 'other',
    childsWordsLanguageName: 'Polish',
    evidenceBasis: 'disclosed_by_child',
    actionTaken: 'Breakfast club; told the DSP.',
    linkedPupils: [{ pupilId: ids.otherPupil, role: 'sibling' }],
    bodyMap: [{ view: 'front', x: 0.5, y: 0.25, note: 'small bruise' }],
  });
  const decisionBase = (): JsonObject => ({
    outcome: 'monitor',
    rationale: 'Watch attendance and speak to mum at pick-up.',
    reasonableCause: 'no',
    reasonForRoute: 'A first concern, with a plausible explanation.',
    phonedAt: new Date(Date.now() - 3_600_000).toISOString(),
  });
  const escalationBase = (): JsonObject => ({
    route: 'early_help',
    reasonForRoute: 'The family asked for help with food and the young carer role.',
    consent: { sought: true, given: true, givenBy: 'Anna Nowak', reasonNotSought: null },
    referral: {
      householdMembers: [{ name: 'Anna Nowak', relationship: 'Mother', dateOfBirth: '1990-04-02' }],
      parentalResponsibility: 'Mother',
      agenciesInvolved: ['School nurse'],
      protectiveMeasures: 'Breakfast club',
      knownAboutChildAndFamily: 'Moved here in 2025',
      additionalNeeds: 'None known',
      communicationNeeds: 'Polish interpreter for mum',
      riskToVisitors: 'None known',
      phonedAt: new Date(Date.now() - 3_600_000).toISOString(),
      familyLanguage: 'Polish',
    },
    reasonableCause: 'no',
    dspUnavailable: false,
  });
  const organisationBase = (): JsonObject => ({
    kind: 'school',
    name: 'Ysgol Gynradd y Prawf',
    nameCy: 'Ysgol Gynradd y Prawf',
    code: '6819998',
  });
  const inviteBase = (): JsonObject => ({
    email: 'fuzz.invitee@example.invalid',
    name: 'Rhys Prawf',
    organisationId: ids.organisation,
    role: 'staff',
    language: 'cy',
  });
  const membershipBase = (): JsonObject => ({ organisationId: ids.organisation, role: 'dsp' });
  const newPasswordBase = (): JsonObject => ({ password: 'a long enough passphrase 2026' });
  const changePasswordBase = (): JsonObject => ({
    currentPassword: 'not the password',
    newPassword: 'a long enough passphrase 2026',
  });
  const meBase = (): JsonObject => ({ language: 'cy', emailNotifications: false });
  const evaluateBase = (): JsonObject => ({
    category: 'neglect',
    issues: ['young_carer'],
    indicators: [],
    reasonableCause: 'unsure',
    pupilId: ids.pupil,
    occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
  });

  const text = (max: number, optional = false, min: 0 | 1 = 1): Field => ({ kind: 'text', max, optional, min });
  const choice = (values: readonly Json[], optional = false): Field => ({ kind: 'choice', values, optional });
  const instant = (optional = false): Field => ({ kind: 'instant', optional });

  const jsonEndpoints: JsonEndpoint[] = [
    {
      name: 'POST /api/auth/login',
      path: () => '/api/auth/login',
      fields: { email: text(320), password: text(1024, false, 0) },
      base: loginBase,
      noise: ['email', 'password'],
      runs: 600,
    },
    {
      name: 'POST /api/auth/login/2fa',
      path: () => '/api/auth/login/2fa',
      fields: { challengeToken: text(200), code: text(64) },
      base: () => ({ challengeToken: 'no-such-challenge', code: '123456' }),
      noise: ['challengeToken', 'code'],
      runs: 200,
    },
    {
      name: 'POST /api/auth/2fa/enable',
      path: () => '/api/auth/2fa/enable',
      as: TEACHER,
      fields: { code: text(64), currentCode: text(64, true) },
      base: () => ({ code: '123456', currentCode: 'abcd-efgh-2345' }),
      noise: ['code', 'currentCode'],
      runs: 200,
    },
    {
      name: 'POST /api/auth/2fa/recovery-codes',
      path: () => '/api/auth/2fa/recovery-codes',
      as: TEACHER,
      fields: { code: text(64) },
      base: () => ({ code: '123456' }),
      noise: ['code'],
      runs: 100,
    },
    {
      name: 'POST /api/auth/2fa/disable',
      path: () => '/api/auth/2fa/disable',
      as: TEACHER,
      fields: { password: text(1024, false, 0), code: text(64) },
      base: () => ({ password: 'not the password', code: '123456' }),
      noise: ['password', 'code'],
      runs: 200,
    },
    {
      name: 'POST /api/concerns',
      path: () => '/api/concerns',
      as: TEACHER,
      fields: {
        pupilId: { kind: 'uuid' },
        occurredAt: instant(),
        category: choice(CONCERN_CATEGORIES),
        issues: {
          kind: 'list',
          of: choice(ISSUE_CODES),
          max: ISSUE_CODES.length,
          sample: 'young_carer',
          unique: true,
          optional: true,
        },
        indicators: {
          kind: 'list',
          of: choice(RISK_INDICATORS),
          max: RISK_INDICATORS.length,
          sample: RISK_INDICATORS[0],
          unique: true,
          optional: true,
        },
        context: choice(CONCERN_CONTEXTS, true),
        summary: text(10_000),
        childsWords: text(10_000, true),
        childsWordsLanguage: choice(['en', 'cy', 'other'], true),
        childsWordsLanguageName: text(60, true),
        evidenceBasis: choice(EVIDENCE_BASES),
        actionTaken: text(10_000, true),
        linkedPupils: {
          kind: 'list',
          max: 20,
          optional: true,
          sample: { pupilId: '00000000-0000-4000-8000-000000000000', role: 'witness' },
          of: { kind: 'object', fields: { pupilId: { kind: 'uuid' }, role: choice(LINKED_PUPIL_ROLES) } },
        },
        bodyMap: {
          kind: 'list',
          max: 50,
          optional: true,
          sample: { view: 'front', x: 0.5, y: 0.5 },
          of: {
            kind: 'object',
            fields: {
              view: choice(['front', 'back']),
              x: { kind: 'number', min: 0, max: 1 },
              y: { kind: 'number', min: 0, max: 1 },
              note: text(500, true, 0),
            },
          },
        },
      },
      base: concernBase,
      noise: ['summary', 'actionTaken', 'childsWords'],
      runs: 1600,
    },
    {
      name: 'POST /api/concerns/:id/decision',
      path: () => `/api/concerns/${ids.concern}/decision`,
      as: DSP,
      fields: {
        outcome: choice(DECISION_OUTCOMES),
        rationale: text(10_000),
        reasonableCause: choice(REASONABLE_CAUSE_ANSWERS, true),
        reasonForRoute: text(5000, true),
        phonedAt: instant(true),
      },
      base: decisionBase,
      noise: ['rationale', 'reasonForRoute'],
      runs: 600,
    },
    {
      name: 'POST /api/concerns/:id/close',
      path: () => `/api/concerns/${ids.concern}/close`,
      as: DSP,
      fields: { rationale: text(10_000) },
      base: () => ({ rationale: 'Nothing more for school.' }),
      noise: [],
      runs: 400,
    },
    {
      name: 'POST /api/concerns/:id/escalations',
      path: () => `/api/concerns/${ids.concern}/escalations`,
      as: DSP,
      fields: {
        route: choice(ESCALATION_ROUTES),
        reasonForRoute: text(5000, true),
        consent: {
          kind: 'object',
          fields: {
            sought: { kind: 'bool' },
            given: { kind: 'bool', optional: true },
            givenBy: text(200, true),
            reasonNotSought: text(2000, true),
          },
        },
        referral: {
          kind: 'object',
          optional: true,
          fields: {
            householdMembers: {
              kind: 'list',
              max: 30,
              optional: true,
              sample: { name: 'A Person', relationship: 'Aunt' },
              of: {
                kind: 'object',
                fields: {
                  name: text(200),
                  relationship: text(100),
                  dateOfBirth: { kind: 'birthDate', optional: true },
                },
              },
            },
            parentalResponsibility: text(2000, true),
            agenciesInvolved: { kind: 'list', max: 30, optional: true, sample: 'Health visitor', of: text(300) },
            protectiveMeasures: text(5000, true),
            knownAboutChildAndFamily: text(10_000, true),
            additionalNeeds: text(5000, true),
            communicationNeeds: text(2000, true),
            riskToVisitors: text(2000, true),
            phonedAt: instant(true),
            familyLanguage: text(200, true),
          },
        },
        reasonableCause: choice(REASONABLE_CAUSE_ANSWERS, true),
        dspUnavailable: { kind: 'bool', optional: true },
      },
      base: escalationBase,
      noise: ['reasonForRoute'],
      runs: 1600,
    },
    {
      name: 'POST /api/la/escalations/:id/outcome',
      path: () => `/api/la/escalations/${ids.referral}/outcome`,
      as: MASH,
      fields: { outcome: choice(LA_OUTCOMES), note: text(10_000) },
      base: outcomeBase,
      noise: ['note'],
      runs: 500,
    },
    {
      name: 'POST /api/guidance/evaluate',
      path: () => '/api/guidance/evaluate',
      as: DSP,
      fields: {
        category: choice(CONCERN_CATEGORIES),
        issues: {
          kind: 'list',
          of: choice(ISSUE_CODES),
          max: ISSUE_CODES.length,
          sample: 'young_carer',
          unique: true,
          optional: true,
        },
        indicators: {
          kind: 'list',
          of: choice(RISK_INDICATORS),
          max: RISK_INDICATORS.length,
          sample: RISK_INDICATORS[0],
          unique: true,
          optional: true,
        },
        reasonableCause: choice(REASONABLE_CAUSE_ANSWERS, true),
        pupilId: { kind: 'uuid', optional: true },
        occurredAt: instant(true),
      },
      base: evaluateBase,
      noise: [],
      runs: 600,
    },
    // Accounts: each base is well-formed (see beforeAll) and every mutation certainly invalid, so nothing
    // is created; the snapshot counts organisations, accounts, memberships, links and sessions.
    {
      name: 'POST /api/organisations',
      path: () => '/api/organisations',
      as: ADMIN,
      fields: {
        kind: choice(['school', 'pru']),
        name: text(200),
        nameCy: text(200, true),
        code: { kind: 'choice', values: ['6819998'] },
      },
      base: organisationBase,
      noise: ['name', 'nameCy'],
      runs: 300,
    },
    {
      name: 'POST /api/users',
      path: () => '/api/users',
      as: ADMIN,
      fields: {
        email: text(320),
        name: text(200),
        organisationId: { kind: 'uuid' },
        role: choice(ROLES),
        language: choice(LANGUAGES, true),
      },
      base: inviteBase,
      noise: ['name'],
      runs: 300,
    },
    {
      name: 'POST /api/users/:id/memberships',
      path: () => `/api/users/${ids.user}/memberships`,
      as: ADMIN,
      fields: { organisationId: { kind: 'uuid' }, role: choice(ROLES) },
      base: membershipBase,
      noise: [],
      runs: 200,
    },
    {
      name: 'POST /api/invitations/:token',
      path: () => `/api/invitations/${NO_SUCH_TOKEN}`,
      fields: { password: text(1024, false, 0) },
      base: newPasswordBase,
      noise: ['password'],
      runs: 150,
    },
    {
      name: 'POST /api/auth/password',
      path: () => '/api/auth/password',
      as: HEAD,
      fields: { currentPassword: text(1024, false, 0), newPassword: text(1024, false, 0) },
      base: changePasswordBase,
      noise: ['currentPassword', 'newPassword'],
      runs: 200,
    },
    {
      name: 'POST /api/auth/password-reset',
      path: () => '/api/auth/password-reset',
      fields: { email: text(320) },
      base: () => ({ email: 'nobody@example.invalid' }),
      noise: [],
      runs: 150,
    },
    {
      name: 'POST /api/auth/password-reset/:token',
      path: () => `/api/auth/password-reset/${NO_SUCH_TOKEN}`,
      fields: { password: text(1024, false, 0) },
      base: newPasswordBase,
      noise: ['password'],
      runs: 150,
    },
    {
      name: 'PATCH /api/me',
      method: 'PATCH',
      path: () => '/api/me',
      as: HEAD,
      fields: { language: choice(LANGUAGES, true), emailNotifications: { kind: 'bool', optional: true } },
      base: meBase,
      noise: [],
      runs: 200,
    },
  ];

  const page = { kind: 'int', min: 1, max: 1_000_000 } as const;
  const pageSize = { kind: 'int', min: 1, max: 200 } as const;
  const lang = { kind: 'loose', max: 5 } as const;
  const auditFields: Record<string, WireField> = {
    subjectType: { kind: 'text', max: 40, invalid: ['nothing', 'pupils', 'Pupil'] },
    subjectId: { kind: 'text', max: 40, invalid: ['not-an-id', '1', "1' OR '1'='1"] },
    actorId: { kind: 'text', max: 40, invalid: ['not-an-id', '1'] },
    pupilId: { kind: 'text', max: 40, invalid: ['not-an-id', '1'] },
    pupil: { kind: 'text', max: 100 },
    action: { kind: 'text', max: 60, invalid: ['nothing.done', 'DROP'] },
    from: { kind: 'text', max: 40, invalid: ['2024-02-30', '9999-99-99', 'yesterday', '2024-1-1'] },
    to: { kind: 'text', max: 40, invalid: ['2023-02-29', '31/12/2024', '2024-13-01'] },
    page: { kind: 'text', max: 10, invalid: ['0', '-1', 'abc', '1.5'] },
    pageSize: { kind: 'text', max: 10, invalid: ['0', '201', 'abc', '1.5'] },
  };
  const period: Record<string, WireField> = {
    from: { kind: 'text', max: 40, invalid: ['2024-02-30', 'yesterday', '2024-1-1'] },
    to: { kind: 'text', max: 40, invalid: ['2023-02-29', '9999-99-99', '31/12/2024'] },
  };

  const queryEndpoints: QueryEndpoint[] = [
    {
      name: 'GET /api/pupils',
      path: () => '/api/pupils',
      as: DSP,
      page: false,
      fields: { q: { kind: 'text', max: 100 }, page, pageSize },
      base: () => [
        ['q', 'a'],
        ['page', '1'],
        ['pageSize', '10'],
      ],
      runs: 250,
    },
    {
      name: 'GET /api/pupils/:id/chronology',
      path: () => `/api/pupils/${ids.pupil}/chronology`,
      as: DSP,
      page: false,
      fields: {
        kind: { kind: 'list', values: CHRONOLOGY_KINDS },
        category: { kind: 'choice', values: CONCERN_CATEGORIES },
        page,
        pageSize,
      },
      base: () => [
        ['kind', CHRONOLOGY_KINDS[0]],
        ['category', 'neglect'],
        ['page', '1'],
        ['pageSize', '10'],
      ],
      runs: 250,
    },
    {
      name: 'GET /api/audit',
      path: () => '/api/audit',
      as: HEAD,
      page: false,
      fields: auditFields,
      base: () => [
        ['action', 'pupil.viewed'],
        ['from', '2026-01-01'],
        ['to', '2026-01-31'],
        ['page', '1'],
        ['pageSize', '10'],
      ],
      runs: 250,
    },
    {
      name: 'GET /api/reports/referral-balance',
      path: () => '/api/reports/referral-balance',
      as: LEAD,
      page: false,
      fields: { ...period },
      base: () => [
        ['from', '2026-01-01'],
        ['to', '2026-01-31'],
      ],
      runs: 250,
    },
    {
      name: 'GET /api/la/escalations',
      path: () => '/api/la/escalations',
      as: MASH,
      page: false,
      fields: { status: { kind: 'choice', values: ESCALATION_STATUSES }, page, pageSize },
      base: () => [
        ['status', ESCALATION_STATUSES[0]],
        ['page', '1'],
        ['pageSize', '10'],
      ],
      runs: 250,
    },
    {
      name: 'GET /api/escalations',
      path: () => '/api/escalations',
      as: DSP,
      page: false,
      fields: { undecided: { kind: 'choice', values: ['true', 'false'] }, page, pageSize },
      base: () => [
        ['undecided', 'true'],
        ['page', '1'],
        ['pageSize', '10'],
      ],
      runs: 250,
    },
    {
      name: 'GET /api/concerns',
      path: () => '/api/concerns',
      as: DSP,
      page: false,
      fields: { status: { kind: 'choice', values: CONCERN_STATUSES }, page, pageSize },
      base: () => [
        ['status', 'open'],
        ['page', '1'],
        ['pageSize', '10'],
      ],
      runs: 250,
    },
    {
      name: 'GET / (dashboard)',
      path: () => '/',
      as: DSP,
      page: true,
      fields: {
        lang,
        section: { kind: 'choice', values: DASHBOARD_SECTIONS },
        // A whole number from 1 written plainly (at most five digits).
        page: { kind: 'int', min: 1, max: 99_999 },
      },
      base: () => [
        ['section', DASHBOARD_SECTIONS[0]],
        ['page', '1'],
      ],
      runs: 150,
    },
    {
      name: 'GET /pupils',
      path: () => '/pupils',
      as: DSP,
      page: true,
      fields: { lang, q: { kind: 'text', max: 100 }, page },
      base: () => [
        ['q', 'a'],
        ['page', '1'],
      ],
      runs: 150,
    },
    {
      name: 'GET /pupils/:id',
      path: () => `/pupils/${ids.pupil}`,
      as: DSP,
      page: true,
      fields: { lang },
      base: () => [['lang', 'cy']],
      runs: 100,
    },
    {
      name: 'GET /pupils/:id/chronology',
      path: () => `/pupils/${ids.pupil}/chronology`,
      as: DSP,
      page: true,
      fields: {
        lang,
        kind: { kind: 'list', values: CHRONOLOGY_KINDS },
        category: { kind: 'choice', values: CONCERN_CATEGORIES },
        print: { kind: 'choice', values: ['1'] },
        page,
      },
      base: () => [
        ['kind', CHRONOLOGY_KINDS[0]],
        ['category', 'neglect'],
        ['page', '1'],
      ],
      runs: 150,
    },
    {
      name: 'GET /audit',
      path: () => '/audit',
      as: HEAD,
      page: true,
      fields: { ...auditFields, lang: { kind: 'text', max: 5 } },
      base: () => [
        ['action', 'pupil.viewed'],
        ['from', '2026-01-01'],
        ['page', '1'],
      ],
      runs: 150,
    },
    {
      name: 'GET /reports/referral-balance',
      path: () => '/reports/referral-balance',
      as: LEAD,
      page: true,
      fields: {
        lang,
        ...period,
        sort: { kind: 'choice', values: SORT_KEYS },
        dir: { kind: 'choice', values: SORT_DIRECTIONS },
      },
      base: () => [
        ['from', '2026-01-01'],
        ['sort', SORT_KEYS[0]],
        ['dir', 'asc'],
      ],
      runs: 150,
    },
    {
      name: 'GET /reports/referral-balance/:id',
      path: () => `/reports/referral-balance/${ids.organisation}`,
      as: LEAD,
      page: true,
      fields: { lang, ...period },
      base: () => [
        ['from', '2026-01-01'],
        ['to', '2026-01-31'],
      ],
      runs: 100,
    },
    {
      name: 'GET /la/inbox',
      path: () => '/la/inbox',
      as: MASH,
      page: true,
      fields: { lang, status: { kind: 'choice', values: INBOX_FILTERS }, page },
      base: () => [
        ['status', 'all'],
        ['page', '1'],
      ],
      runs: 100,
    },
    {
      name: 'GET /la/escalations/:id',
      path: () => `/la/escalations/${ids.referral}`,
      as: MASH,
      page: true,
      fields: { lang, done: { kind: 'choice', values: ['acknowledged', 'decided'] } },
      base: () => [['done', 'decided']],
      runs: 100,
    },
    {
      name: 'GET /concerns/new',
      path: () => '/concerns/new',
      as: TEACHER,
      page: true,
      fields: { lang, pupilId: { kind: 'loose', max: 100 } },
      base: () => [['pupilId', ids.pupil]],
      notFound: ['pupilId'],
      runs: 150,
    },
    {
      name: 'GET /concerns/:id',
      path: () => `/concerns/${ids.concern}`,
      as: DSP,
      page: true,
      fields: { lang, done: { kind: 'loose', max: 30 } },
      base: () => [['done', 'recorded']],
      runs: 100,
    },
    {
      name: 'GET /la/services',
      path: () => '/la/services',
      as: LEAD,
      page: true,
      fields: { lang, done: { kind: 'choice', values: DIRECTORY_DONE } },
      base: () => [['done', 'added']],
      runs: 100,
    },
    {
      name: 'GET /la/services/:id/edit',
      path: () => `/la/services/${ids.service}/edit`,
      as: LEAD,
      page: true,
      fields: { lang },
      base: () => [['lang', 'en']],
      runs: 60,
    },
    {
      name: 'GET /la/services/new',
      path: () => '/la/services/new',
      as: LEAD,
      page: true,
      fields: { lang },
      base: () => [['lang', 'en']],
      runs: 60,
    },
    {
      name: 'GET /api/users',
      path: () => '/api/users',
      as: ADMIN,
      page: false,
      fields: {
        organisationId: { kind: 'text', max: 40, invalid: ['not-an-id', '1', "1' OR '1'='1"] },
        q: { kind: 'text', max: 200 },
        page,
        pageSize,
      },
      base: () => [
        ['organisationId', ids.organisation],
        ['q', 'a'],
        ['page', '1'],
        ['pageSize', '10'],
      ],
      runs: 200,
    },
    {
      name: 'GET /api/organisations',
      path: () => '/api/organisations',
      as: ADMIN,
      page: false,
      fields: { page, pageSize },
      base: () => [
        ['page', '1'],
        ['pageSize', '10'],
      ],
      runs: 100,
    },
    {
      name: 'GET /api/pupils/lookup',
      path: () => '/api/pupils/lookup',
      as: DSP,
      page: false,
      // Both checked exactly (no odd-but-valid input): a lookup that passes is audited, as it should be.
      fields: {
        upn: {
          kind: 'text',
          max: 13,
          invalid: [WRONG_CHECK_LETTER, VALID_UPN.slice(1), `${VALID_UPN}0`, VALID_UPN.toLowerCase(), ''],
        },
        dateOfBirth: { kind: 'text', max: 10, invalid: ['2024-02-30', '9999-12-31', '1990-4-2', '02/04/1990', ''] },
      },
      base: () => [
        ['upn', ids.upn],
        ['dateOfBirth', ids.dateOfBirth],
      ],
      runs: 200,
    },
    {
      name: 'GET /admin/users',
      path: () => '/admin/users',
      as: ADMIN,
      page: true,
      fields: {
        lang,
        q: { kind: 'loose', max: 200 },
        organisationId: { kind: 'text', max: 40, invalid: ['not-an-id', '1'] },
        done: { kind: 'choice', values: ACCOUNT_PAGE_DONE },
        page: { kind: 'loose', max: 7 },
      },
      base: () => [
        ['q', 'a'],
        ['organisationId', ids.organisation],
        ['page', '1'],
      ],
      runs: 100,
    },
  ];

  const serviceFields: Record<string, FormField> = {
    nameEn: 'text',
    nameCy: 'text',
    descriptionEn: 'text',
    descriptionCy: 'text',
    howToAccessEn: 'text',
    howToAccessCy: 'text',
    minLevel: 'choice',
    maxLevel: 'choice',
    issueTags: 'checkboxes',
    active: 'tick',
  };
  const serviceBase = (): Array<[string, string]> => [
    ['nameEn', 'Food bank'],
    ['nameCy', 'Banc bwyd'],
    ['descriptionEn', 'Food parcels'],
    ['descriptionCy', 'Parseli bwyd'],
    ['howToAccessEn', 'Phone 029 0000 0000'],
    ['howToAccessCy', 'Ffoniwch 029 0000 0000'],
    ['minLevel', '1'],
    ['maxLevel', '3'],
    ['issueTags', 'housing'],
    ['active', 'true'],
  ];
  const serviceText = ['nameEn', 'nameCy', 'descriptionEn', 'descriptionCy', 'howToAccessEn', 'howToAccessCy'];
  const referralFields: Record<string, FormField> = {
    route: 'choice',
    reasonableCause: 'choice',
    reasonForRoute: 'text',
    consentSought: 'choice',
    consentGiven: 'choice',
    consentGivenBy: 'text',
    reasonNotSought: 'text',
    householdMembers: { rows: ['name', 'relationship', 'dateOfBirth'] },
    parentalResponsibility: 'text',
    agenciesInvolved: 'text',
    protectiveMeasures: 'text',
    knownAboutChildAndFamily: 'text',
    additionalNeeds: 'text',
    communicationNeeds: 'text',
    riskToVisitors: 'text',
    familyLanguage: 'text',
    phonedDate: 'choice',
    phonedTime: 'choice',
  };
  const referralBase = (route: string): Array<[string, string]> => [
    ['route', route],
    ['reasonableCause', 'yes'],
    ['reasonForRoute', 'Mum disclosed that her partner hits her when he drinks.'],
    ['consentSought', 'yes'],
    ['consentGiven', 'no'],
    ['householdMembers[0][name]', 'Anna Nowak'],
    ['householdMembers[0][relationship]', 'Mother'],
    ['householdMembers[0][dateOfBirth]', '1990-04-02'],
    ['agenciesInvolved', 'School nurse\r\nHealth visitor'],
    ['communicationNeeds', 'Polish interpreter for mum'],
    ['protectiveMeasures', 'Grandmother collects after school'],
  ];
  const referralText = ['reasonForRoute', 'communicationNeeds', 'protectiveMeasures'];

  const formEndpoints: FormEndpoint[] = [
    {
      name: 'POST /login (form)',
      path: () => '/login',
      fields: { email: 'text', password: 'text', next: 'text' },
      base: () => [
        ['email', 'nobody@example.invalid'],
        ['password', 'not the password'],
        ['next', '/'],
      ],
      plainText: ['email', 'password'],
      invalid: {},
      runs: 250,
    },
    {
      name: 'POST /language (form)',
      path: () => '/language',
      as: DSP,
      fields: { language: 'choice', next: 'text' },
      base: () => [
        ['language', 'cy'],
        ['next', '/'],
      ],
      plainText: [],
      invalid: { language: ['xx', 'EN', '', 'cy ', 'cym'] },
      runs: 150,
    },
    {
      name: 'POST /concerns (form)',
      path: () => '/concerns',
      as: TEACHER,
      fields: {
        pupilId: 'choice',
        occurredDate: 'choice',
        occurredTime: 'choice',
        category: 'choice',
        issues: 'checkboxes',
        indicators: 'checkboxes',
        context: 'choice',
        summary: 'text',
        childsWords: 'text',
        childsWordsLanguage: 'choice',
        childsWordsLanguageName: 'text',
        evidenceBasis: 'choice',
        actionTaken: 'text',
        linkedPupils: { rows: ['pupilId', 'role'] },
        bodyMap: { rows: ['view', 'x', 'y', 'note'] },
        markRegion: 'choice',
        markView: 'choice',
        markNote: 'text',
        action: 'choice',
        removeMark: 'choice',
      },
      base: () => [
        ['pupilId', ids.pupil],
        ['occurredDate', '2026-01-15'],
        ['occurredTime', '10:30'],
        ['summary', 'Noticed a bruise on the upper arm while changing for PE.'],
        ['evidenceBasis', 'observed'],
        ['category', 'neglect'],
        ['issues', 'young_carer'],
        ['actionTaken', 'Told the DSP.'],
        ['action', 'record'],
      ],
      plainText: ['summary', 'actionTaken'],
      invalid: {
        category: ['x', 'NEGLECT', 'neglect '],
        evidenceBasis: ['x', 'seen'],
        occurredDate: ['2024-02-30', '9999-12-31', 'yesterday', '1900-01-01'],
        occurredTime: ['25:00', '10:60', 'noon'],
        pupilId: ['not-an-id', '1'],
        issues: ['not_an_issue'],
      },
      notFound: ['pupilId'],
      runs: 700,
    },
    {
      name: 'POST /concerns/:id/decision (form)',
      path: () => `/concerns/${ids.concern}/decision`,
      as: DSP,
      fields: {
        outcome: 'choice',
        reasonableCause: 'choice',
        rationale: 'text',
        reasonForRoute: 'text',
        phonedDate: 'choice',
        phonedTime: 'choice',
      },
      base: () => [
        ['reasonableCause', 'no'],
        ['outcome', 'monitor'],
        ['rationale', 'Watch attendance and speak to mum at pick-up.'],
      ],
      plainText: ['rationale'],
      invalid: { outcome: ['x', 'MONITOR'], reasonableCause: ['maybe', 'YES'] },
      runs: 250,
    },
    {
      name: 'POST /concerns/:id/escalations (form)',
      path: () => `/concerns/${ids.concern}/escalations`,
      as: DSP,
      fields: referralFields,
      base: () => referralBase('mash'),
      plainText: referralText,
      invalid: { route: ['x', 'MASH'], consentSought: ['maybe'] },
      runs: 400,
    },
    {
      name: 'POST /concerns/:id/staff-report (form)',
      path: () => `/concerns/${ids.concern}/staff-report`,
      as: TEACHER,
      fields: referralFields,
      base: () => referralBase('mash'),
      plainText: referralText,
      invalid: { route: ['x', 'MASH'], consentSought: ['maybe'] },
      runs: 200,
    },
    {
      name: 'POST /concerns/:id/close (form)',
      path: () => `/concerns/${ids.concern}/close`,
      as: DSP,
      fields: { closeRationale: 'text' },
      base: () => [['closeRationale', 'MASH took it on; nothing more for school.']],
      plainText: ['closeRationale'],
      invalid: {},
      runs: 150,
    },
    {
      name: 'POST /la/escalations/:id/acknowledge (form)',
      path: () => `/la/escalations/${ids.referral}/acknowledge`,
      as: MASH,
      fields: {},
      base: () => [],
      plainText: [],
      invalid: {},
      runs: 150,
    },
    {
      name: 'POST /la/escalations/:id/outcome (form)',
      path: () => `/la/escalations/${ids.referral}/outcome`,
      as: MASH,
      fields: { outcome: 'choice', note: 'text' },
      base: () => [
        ['outcome', 'strategy_discussion'],
        ['note', 'Strategy meeting on Monday.'],
      ],
      plainText: ['note'],
      invalid: { outcome: ['x', 'family_help '] },
      runs: 200,
    },
    {
      name: 'POST /la/services/new (form)',
      path: () => '/la/services/new',
      as: LEAD,
      fields: { ...serviceFields, code: 'choice' },
      base: () => [...serviceBase(), ['code', 'food_bank_fuzz']],
      plainText: serviceText,
      invalid: {
        code: ['A!', 'x', 'with space'],
        minLevel: ['5', 'x', '-1'],
        maxLevel: ['9', 'x'],
        active: ['yes', 'false'],
        issueTags: ['not_an_issue'],
      },
      runs: 350,
    },
    {
      name: 'POST /la/services/:id/edit (form)',
      path: () => `/la/services/${ids.service}/edit`,
      as: LEAD,
      fields: serviceFields,
      base: serviceBase,
      plainText: serviceText,
      invalid: {
        minLevel: ['5', 'x', '-1'],
        maxLevel: ['9', 'x'],
        active: ['yes', 'false'],
        issueTags: ['not_an_issue'],
      },
      runs: 300,
    },
    {
      name: 'POST /la/services/thresholds (form)',
      path: () => '/la/services/thresholds',
      as: LEAD,
      fields: {
        patternFrequencyCount: 'choice',
        patternFrequencyDays: 'choice',
        patternCategoriesCount: 'choice',
        patternCategoriesDays: 'choice',
        afterMashClosureMonths: 'choice',
      },
      base: () => [
        ['patternFrequencyCount', '3'],
        ['patternFrequencyDays', '30'],
        ['patternCategoriesCount', '3'],
        ['patternCategoriesDays', '90'],
        ['afterMashClosureMonths', '12'],
      ],
      plainText: [],
      invalid: {
        patternFrequencyCount: ['0', '11', 'x', '1.5', '99999999999999999999'],
        patternFrequencyDays: ['6', '366', '-1'],
        patternCategoriesCount: ['1', '6', 'three'],
        patternCategoriesDays: ['29', '1e3'],
        afterMashClosureMonths: ['0', '37', ' '],
      },
      runs: 250,
    },
    {
      name: 'POST /la/services/response-time (form)',
      path: () => '/la/services/response-time',
      as: LEAD,
      fields: { earlyHelpResponseDays: 'choice' },
      base: () => [['earlyHelpResponseDays', '10']],
      plainText: [],
      invalid: { earlyHelpResponseDays: ['-1', 'x', '1.5', '9999', '0x10'] },
      runs: 150,
    },
    {
      name: 'POST /admin/organisations (form)',
      path: () => '/admin/organisations',
      as: ADMIN,
      fields: { kind: 'choice', name: 'text', nameCy: 'text', code: 'choice' },
      base: () => [
        ['kind', 'school'],
        ['name', 'Ysgol Gynradd y Prawf'],
        ['nameCy', 'Ysgol Gynradd y Prawf'],
        ['code', '6819998'],
      ],
      plainText: ['name', 'nameCy'],
      invalid: { kind: ['x', 'SCHOOL', 'la'], code: ['123', 'abc1234', '68199981', '681-998'], name: [''] },
      runs: 250,
    },
    {
      name: 'POST /admin/users/new (form)',
      path: () => '/admin/users/new',
      as: ADMIN,
      fields: { email: 'text', name: 'text', organisationId: 'choice', role: 'choice', language: 'choice' },
      base: () => [
        ['email', 'fuzz.invitee@example.invalid'],
        ['name', 'Rhys Prawf'],
        ['organisationId', ids.organisation],
        ['role', 'staff'],
        ['language', 'cy'],
      ],
      plainText: ['email', 'name'],
      invalid: {
        email: ['not-an-email', 'a@', ''],
        name: [''],
        organisationId: ['not-an-id', '1', ''],
        role: ['x', 'ADMIN', 'Staff', ''],
        language: ['xx', 'EN', 'cy '],
      },
      runs: 250,
    },
    {
      name: 'POST /admin/users/:id/memberships (form)',
      path: () => `/admin/users/${ids.user}/memberships`,
      as: ADMIN,
      fields: { organisationId: 'choice', role: 'choice' },
      base: () => [
        ['organisationId', ids.organisation],
        ['role', 'dsp'],
      ],
      plainText: [],
      invalid: { organisationId: ['not-an-id', '1', ''], role: ['x', 'DSP', ''] },
      runs: 100,
    },
    {
      // The base's current password is wrong (a 422), so nothing here can change the password.
      name: 'POST /account/password (form)',
      path: () => '/account/password',
      as: HEAD,
      fields: { currentPassword: 'text', newPassword: 'text', confirmPassword: 'text' },
      base: () => [
        ['currentPassword', 'not the password'],
        ['newPassword', 'a long enough passphrase 2026'],
        ['confirmPassword', 'a long enough passphrase 2026'],
      ],
      plainText: ['currentPassword', 'newPassword', 'confirmPassword'],
      invalid: { currentPassword: [''], newPassword: [''], confirmPassword: ['something else', ''] },
      runs: 200,
    },
    {
      name: 'POST /account/preferences (form)',
      path: () => '/account/preferences',
      as: HEAD,
      fields: { language: 'choice', emailNotifications: 'choice' },
      base: () => [
        ['language', 'cy'],
        ['emailNotifications', 'off'],
      ],
      plainText: ['language', 'emailNotifications'],
      invalid: { language: ['xx', 'EN', 'cy ', 'cym', ''], emailNotifications: ['yes', 'ON', 'true', ''] },
      runs: 150,
    },
    {
      name: 'POST /reset (form)',
      path: () => '/reset',
      fields: { email: 'text' },
      base: () => [['email', 'nobody@example.invalid']],
      plainText: ['email'],
      invalid: { email: ['', '   '] },
      runs: 100,
    },
    {
      // No such link: the page's own checks come before the lookup, and a body that passes them is a 404.
      name: 'POST /reset/:token (form)',
      path: () => `/reset/${NO_SUCH_TOKEN}`,
      fields: { password: 'text', confirmPassword: 'text' },
      base: () => [
        ['password', 'a long enough passphrase 2026'],
        ['confirmPassword', 'a long enough passphrase 2026'],
      ],
      plainText: ['password', 'confirmPassword'],
      invalid: { password: [''], confirmPassword: ['something else'] },
      runs: 100,
    },
    {
      // No such link, whose page is a 404: only what the DTO refuses is sent (FormText bounds length only).
      name: 'POST /invite/:token (form)',
      path: () => `/invite/${NO_SUCH_TOKEN}`,
      fields: { username: 'text', password: 'text', confirm: 'text' },
      base: () => [
        ['username', 'nobody@example.invalid'],
        ['password', 'a long enough passphrase 2026'],
        ['confirm', 'a long enough passphrase 2026'],
      ],
      plainText: [],
      invalid: {},
      runs: 100,
    },
    {
      name: 'POST /login/code (form)',
      path: () => '/login/code',
      fields: { challengeToken: 'text', code: 'text', next: 'text' },
      base: () => [
        ['challengeToken', 'no-such-challenge'],
        ['code', '123456'],
        ['next', '/'],
      ],
      plainText: ['challengeToken', 'code'],
      invalid: {},
      runs: 100,
    },
    {
      name: 'POST /account/two-factor/enable (form)',
      path: () => '/account/two-factor/enable',
      as: TEACHER,
      fields: { code: 'text', currentCode: 'text' },
      base: () => [
        ['code', '123456'],
        ['currentCode', 'abcd-efgh-2345'],
      ],
      plainText: ['code', 'currentCode'],
      invalid: {},
      runs: 100,
    },
    {
      name: 'POST /account/two-factor/recovery-codes (form)',
      path: () => '/account/two-factor/recovery-codes',
      as: TEACHER,
      fields: { code: 'text' },
      base: () => [['code', '123456']],
      plainText: ['code'],
      invalid: {},
      runs: 60,
    },
    {
      name: 'POST /account/two-factor/disable (form)',
      path: () => '/account/two-factor/disable',
      as: TEACHER,
      fields: { password: 'text', code: 'text' },
      base: () => [
        ['password', 'not the password'],
        ['code', '123456'],
      ],
      plainText: ['password', 'code'],
      invalid: {},
      runs: 100,
    },
  ];

  describe.each(jsonEndpoints)('$name', (endpoint) => {
    it(
      `answers ${endpoint.runs} hostile JSON bodies with 400, 413 or 422`,
      async () => {
        const auth = endpoint.as ? await bearer(endpoint.as) : {};
        await run(
          hostileJsonBody(endpoint).map(({ body, how, type }) =>
            described({
              endpoint: endpoint.name,
              method: endpoint.method ?? 'POST',
              path: endpoint.path(),
              headers: { ...auth, 'Content-Type': type ?? 'application/json' },
              body,
              how,
            }),
          ),
          endpoint.runs,
        );
      },
      fuzzTimeout(endpoint.runs),
    );
  });

  describe.each(queryEndpoints)('$name', (endpoint) => {
    it(
      `answers ${endpoint.runs} hostile queries with 400, 413 or 422 (odd but valid ones without a 5xx)`,
      async () => {
        const headers = endpoint.page ? pageHeaders(endpoint.as) : await bearer(endpoint.as);
        await run(
          hostileQuery(endpoint).map(({ query, how, mayBeValid }) =>
            described({
              endpoint: endpoint.name,
              method: 'GET',
              path: `${endpoint.path()}?${query}`,
              headers,
              how,
              allow404: changed(how, endpoint.notFound),
              mayBeValid,
            }),
          ),
          endpoint.runs,
        );
      },
      fuzzTimeout(endpoint.runs),
    );
  });

  describe.each(formEndpoints)('$name', (endpoint) => {
    it(
      `answers ${endpoint.runs} hostile forms with 400, 413 or 422`,
      async () => {
        const cookie = endpoint.as ? pageHeaders(endpoint.as).Cookie : signedOut.cookie;
        const csrf = endpoint.as ? sessions[endpoint.as].csrfToken : signedOut.csrfToken;
        await run(
          hostileForm(endpoint).map(({ body, how, type }) =>
            described({
              endpoint: endpoint.name,
              method: 'POST',
              path: endpoint.path(),
              headers: {
                Cookie: cookie,
                'Content-Type': type === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
              },
              // The CSRF token always goes first and intact: a hostile input must reach the DTO, not the guard.
              body:
                type === 'json'
                  ? body.replace(/^\{/, `{"_csrf":${JSON.stringify(csrf)}${body === '{}' ? '' : ','}`)
                  : `_csrf=${encode(csrf)}${body ? `&${body}` : ''}`,
              how,
              allow404: changed(how, endpoint.notFound),
            }),
          ),
          endpoint.runs,
        );
      },
      fuzzTimeout(endpoint.runs),
    );
  });

  it(`sent at least ${MIN_INPUTS} hostile inputs, and stored nothing`, async () => {
    const planned = [...jsonEndpoints, ...queryEndpoints, ...formEndpoints].reduce(
      (sum, e) => sum + Math.ceil(e.runs / CONCURRENCY) * CONCURRENCY,
      0,
    );
    expect(planned).toBeGreaterThanOrEqual(MIN_INPUTS);
    expect(sent).toBeGreaterThanOrEqual(MIN_INPUTS);
    expect(await snapshot()).toEqual(before);
  });
});
