import fc from 'fast-check';

/**
 * fast-check generators of hostile input for the DTO fuzz test (test/e2e/dto-fuzz.e2e-spec.ts).
 *
 * Each generator is built to produce input that is CERTAINLY invalid for the field or request it is
 * aimed at (a wrong type, a code that is not one, text with a control character or over its limit, an
 * impossible or future date, too many items, an unknown or prototype field, too deep, too big,
 * malformed JSON), so the fuzz test can demand a 400/413/422 for every one without an oracle of its
 * own. Odd but valid text (emoji, right-to-left overrides, combining marks, Welsh) is only ever
 * "noise" added to other fields of an input that is already invalid, so it still reaches the
 * validation of every field but cannot turn the input into one that stores something.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** What a DTO field accepts, as far as the fuzzer needs to know to make it certainly invalid. */
export type Field =
  /** IsPlainText: a string of `min` (default 1: not blank) to `max` UTF-16 units, no control characters. */
  | { kind: 'text'; max: number; min?: 0 | 1; optional?: boolean }
  /** IsIn: one of `values` exactly (no conversion in a JSON body). */
  | { kind: 'choice'; values: readonly Json[]; optional?: boolean }
  | { kind: 'uuid'; optional?: boolean }
  /** IsNumber with Min/Max. */
  | { kind: 'number'; min: number; max: number; optional?: boolean }
  | { kind: 'bool'; optional?: boolean }
  /** An ISO 8601 instant with a zone, not in the future, not before 1990. */
  | { kind: 'instant'; optional?: boolean }
  /** A calendar date YYYY-MM-DD, 1900 to today. */
  | { kind: 'birthDate'; optional?: boolean }
  /** An array of at most `max` items like `sample`; `unique`: no repeats. */
  | { kind: 'list'; of: Field; max: number; sample: Json; unique?: boolean; optional?: boolean }
  | { kind: 'object'; fields: Record<string, Field>; optional?: boolean };

/** Characters no typed text may hold (the contract's 400): C0 but tab/LF/CR, DEL, C1, lone surrogates. */
export const CONTROL_CHARACTERS: readonly string[] = [
  '\u0000',
  '\u0001',
  '\u0007',
  '\u0008',
  '\u000B',
  '\u000C',
  '\u000E',
  '\u001B',
  '\u001F',
  '\u007F',
  '\u0080',
  '\u0085',
  '\u009B',
  '\u009F',
  '\uD800',
  '\uDBFF',
  '\uDC00',
  '\uDFFF',
];

/** The refused characters UTF-8 can carry (a query or form on the wire cannot hold a lone surrogate). */
export const WIRE_CONTROL_CHARACTERS: readonly string[] = CONTROL_CHARACTERS.filter((c) => !/[\uD800-\uDFFF]/.test(c));

/** Odd but valid text: bidi overrides and isolates, zero-width and BOM, emoji (ZWJ too), combining marks, Welsh, injection-looking text. */
export const ODD_VALID_PIECES: readonly string[] = [
  '\u202E',
  '\u202D',
  '\u2066',
  '\u2069',
  '\u200F',
  '\u200B',
  '\u200D',
  '\uFEFF',
  '\u00A0',
  '\u2028',
  '\u2029',
  '\t',
  '\r\n',
  '🙂',
  '👩‍👧',
  '🏴󠁧󠁢󠁷󠁬󠁳󠁿',
  '𝕏',
  'e\u0301',
  'Z\u0364\u0354\u0367\u0311\u0313',
  '\uFFFD',
  'ŵŷâ',
  'Ŵ',
  'Добрий',
  'مرحبا',
  '中文',
  "O'Brien",
  '"<script>alert(1)</script>"',
  "'; DROP TABLE concerns;--",
  '${x}',
  '{{y}}',
  '%s%n',
  '\\',
  '../',
  'a',
  ' ',
];

const REFUSED =
  // eslint-disable-next-line no-control-regex -- the characters the contract refuses
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Printable graphemes from anywhere in Unicode, as fast-check makes them, without the refused characters. */
const grapheme = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }).filter((s) => !REFUSED.test(s));

const piece = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ODD_VALID_PIECES) },
  { weight: 1, arbitrary: grapheme },
);

/** Joins whole pieces while they fit in `max` UTF-16 units, so no surrogate pair is ever cut in two. */
function joinWithin(pieces: string[], max: number): string {
  let text = '';
  for (const p of pieces) if (text.length + p.length <= max) text += p;
  return text;
}

/** Valid text for IsPlainText({min, max}): odd Unicode, never blank when min is 1. */
export function oddValidText(max: number, min: 0 | 1 = 1): fc.Arbitrary<string> {
  return fc.array(piece, { minLength: 1, maxLength: 12 }).map((pieces) => {
    const text = joinWithin(pieces, max);
    return min === 1 && text.trim() === '' ? joinWithin(['x', ...pieces], max) : text;
  });
}

/** Text with at least one refused character, within `max` (so only the character is wrong). */
export function textWithControl(max: number, controls: readonly string[] = CONTROL_CHARACTERS): fc.Arbitrary<string> {
  return fc
    .tuple(fc.array(piece, { maxLength: 6 }), fc.constantFrom(...controls), fc.nat())
    .map(([pieces, control, at]) => {
      const kept: string[] = [];
      let length = control.length;
      for (const p of pieces)
        if (length + p.length <= max) {
          kept.push(p);
          length += p.length;
        }
      // Between whole pieces, so a lone surrogate stays lone and no pair is cut.
      kept.splice(at % (kept.length + 1), 0, control);
      return kept.join('');
    });
}

/**
 * Text longer than `max`, counted either way: IsPlainText counts UTF-16 units, class-validator's
 * MaxLength code points, so it is built of characters of the Basic Multilingual Plane only.
 */
export function overLong(max: number, extraUpTo = 300): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom('a', 'ŵ', '\u202E', 'e\u0301', ' ', '中'), fc.integer({ min: 1, max: extraUpTo }))
    .map(([unit, extra]) => `x${unit.repeat(Math.ceil((max + extra) / unit.length))}`);
}

/** Strings that trim to nothing: a blank required text. */
export const blankText = fc.constantFrom('', ' ', '   ', '\t', '\r\n', ' \u00A0\u3000\u2028 ', '\uFEFF');

/** Keys that would reach an object's prototype. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Sets `key` as an own, enumerable property (so JSON.stringify writes even `__proto__`). */
export function withOwn(object: JsonObject, key: string, value: Json): JsonObject {
  const copy: JsonObject = {};
  for (const k of Object.keys(object)) if (k !== key) Object.defineProperty(copy, k, ownValue(object[k]));
  Object.defineProperty(copy, key, ownValue(value));
  return copy;
}

const ownValue = (value: Json): PropertyDescriptor => ({ value, enumerable: true, writable: true, configurable: true });

/** A copy of `object` without `key`. */
export function without(object: JsonObject, key: string): JsonObject {
  const copy: JsonObject = {};
  for (const k of Object.keys(object)) if (k !== key) Object.defineProperty(copy, k, ownValue(object[k]));
  return copy;
}

/** A field name no DTO has: odd Unicode, prototype keys, look-alikes of real names. */
export function unknownKey(known: readonly string[]): fc.Arbitrary<string> {
  const lookAlikes = known.length
    ? [
        fc.constantFrom(...known).map((k) => `${k}\u200B`),
        fc.constantFrom(...known).map((k) => k.toUpperCase() + '_'),
        fc.constantFrom(...known).map((k) => ` ${k}`),
      ]
    : [];
  return fc
    .oneof(
      fc.constantFrom(...PROTOTYPE_KEYS),
      fc.constantFrom('id', 'organisationId', 'recordedBy', 'status', 'isAdmin', 'role', '$where', 'a.b', 'x[0]'),
      ...lookAlikes,
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
    )
    .filter((k) => k !== '' && !known.includes(k));
}

/** Any JSON value, small: for wrong types and random bodies. */
export const anyJson: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;

/** Deeply nested arrays and objects, past the 12 levels a body may have. */
export const deep: fc.Arbitrary<Json> = fc
  .tuple(
    fc.integer({ min: 13, max: 3000 }),
    fc.constantFrom('array', 'object', 'mixed'),
    fc.constantFrom<Json>(1, 'x', null, {}),
  )
  .map(([depth, how, leaf]) => {
    let value: Json = leaf;
    for (let i = 0; i < depth; i += 1) value = how === 'array' || (how === 'mixed' && i % 2) ? [value] : { a: value };
    return value;
  });

/** Wide arrays and objects, past the 200 items or fields a body's array or object may have. */
export const wide: fc.Arbitrary<Json> = fc
  .tuple(
    fc.integer({ min: 201, max: 20_000 }),
    fc.constantFrom<Json>({}, 0, '', [], { view: 'front', x: 0.5, y: 0.5 }),
    fc.boolean(),
  )
  .map(([n, item, asObject]): Json => {
    if (!asObject) return Array.from({ length: n }, () => item);
    const object: JsonObject = {};
    for (let i = 0; i < Math.min(n, 5000); i += 1) object[`k${i}`] = item;
    return object;
  });

/** Values of every JSON type but those `accepts` allows (null only for a required field). */
function wrongType(
  accepts: Array<'string' | 'number' | 'boolean' | 'array' | 'object'>,
  optional: boolean,
): fc.Arbitrary<Json> {
  const options: Array<fc.Arbitrary<Json>> = [];
  if (!accepts.includes('string'))
    options.push(
      fc.oneof(
        fc.string({ maxLength: 20 }),
        fc.constantFrom('true', '1', '0.5', '', 'null', '[]', 'NaN', '-0', '1e308'),
      ),
    );
  if (!accepts.includes('number'))
    options.push(
      fc.oneof(
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.constantFrom(0, -0, 1e308, -1e308, 5e-324, 2 ** 53 + 1),
      ),
    );
  if (!accepts.includes('boolean')) options.push(fc.boolean());
  if (!accepts.includes('array')) options.push(fc.array(anyJson, { maxLength: 4 }), deep, wide);
  if (!accepts.includes('object')) options.push(fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 4 }));
  if (!optional) options.push(fc.constant(null));
  return fc.oneof(...options);
}

/** A value `field` certainly refuses (never "absent": that is decided by the body mutation). */
export function invalidValue(field: Field): fc.Arbitrary<Json> {
  const optional = field.optional ?? false;
  switch (field.kind) {
    case 'text': {
      const options: Array<fc.Arbitrary<Json>> = [
        wrongType(['string'], optional),
        textWithControl(field.max),
        overLong(field.max),
      ];
      if ((field.min ?? 1) === 1) options.push(blankText);
      return fc.oneof(...options);
    }
    case 'choice': {
      const strings = field.values.filter((v): v is string => typeof v === 'string');
      const notAMember = fc
        .oneof(
          fc.string({ maxLength: 30 }),
          textWithControl(30),
          overLong(100),
          ...(strings.length
            ? [
                fc.constantFrom(...strings).map((v) => v.toUpperCase()),
                fc.constantFrom(...strings).map((v) => ` ${v}`),
                fc.constantFrom(...strings).map((v) => `${v}\u0000`),
                fc.constantFrom(...strings).map((v) => `${v}\u200B`),
              ]
            : [fc.constantFrom(...field.values).map((v) => JSON.stringify(v))]),
        )
        .filter((v) => !field.values.includes(v));
      const numbers = fc
        .oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }))
        .filter((v) => !field.values.includes(v));
      return fc.oneof(notAMember, numbers, wrongType(['string', 'number'], optional));
    }
    case 'uuid':
      return fc.oneof(
        wrongType(['string'], optional),
        fc.uuid().map((u) => `${u.slice(0, 35)}g`),
        fc.uuid().map((u) => u.slice(0, 35)),
        fc.uuid().map((u) => `${u}\u0000`),
        fc.uuid().map((u) => ` ${u}`),
        fc.uuid().map((u) => u.replace(/-/g, '')),
        fc.constantFrom('', '1', "1' OR '1'='1", '../../etc/passwd', '%00'),
        textWithControl(36),
      );
    case 'number':
      return fc.oneof(
        wrongType(['number'], optional),
        fc.double({ min: field.max, noNaN: true, noDefaultInfinity: true, minExcluded: true }),
        fc.double({ max: field.min, noNaN: true, noDefaultInfinity: true, maxExcluded: true }),
        fc.constantFrom(1e308, -1e308, field.max + Number.EPSILON * 4, field.min - 1e-9),
        fc.constantFrom(String(field.min), String(field.max), '0.5', 'NaN', 'Infinity', '-0'),
      );
    case 'bool':
      return fc.oneof(wrongType(['boolean'], optional), fc.constantFrom('true', 'false', 1, 0, 'yes', ''));
    case 'instant': {
      const future = new Date(Date.now() + 2 * 86_400_000).toISOString();
      return fc.oneof(
        wrongType(['string'], optional),
        fc.constantFrom(
          '9999-12-31T23:59:59Z',
          '+275760-09-13T00:00:00Z',
          future,
          '2024-02-30T10:00:00Z',
          '2023-02-29T10:00:00Z',
          '2024-13-01T10:00:00Z',
          '2024-01-01T25:00:00Z',
          '2024-01-01T10:00:00',
          '2024-01-01',
          '2024-01-01 10:00:00Z',
          '1970-01-01T00:00:00Z',
          '0000-01-01T00:00:00Z',
          '-000001-01-01T00:00:00Z',
          'now',
          '',
          '2024-01-01T10:00:00+25:00',
          '1e308',
        ),
        fc
          .date({ min: new Date(Date.now() + 3_600_000), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
          .map((d) => d.toISOString()),
        textWithControl(30),
      );
    }
    case 'birthDate':
      return fc.oneof(
        wrongType(['string'], optional),
        fc.constantFrom(
          '9999-12-31',
          '2024-02-30',
          '2023-02-29',
          '2024-13-01',
          '2024-00-10',
          '1899-12-31',
          '0001-01-01',
          '1990-04-02T00:00:00Z',
          '1990-4-2',
          '02/04/1990',
          '',
          ' 1990-04-02',
          '+01990-04-02',
        ),
        fc
          .date({
            min: new Date(Date.now() + 2 * 86_400_000),
            max: new Date('9999-12-31T00:00:00Z'),
            noInvalidDate: true,
          })
          .map((d) => d.toISOString().slice(0, 10)),
        textWithControl(10),
      );
    case 'list': {
      const options: Array<fc.Arbitrary<Json>> = [
        wrongType(['array'], optional),
        fc
          .integer({ min: field.max + 1, max: Math.max(field.max + 20, 260) })
          .map((n) => Array.from({ length: n }, () => field.sample)),
        fc
          .tuple(fc.integer({ min: 0, max: Math.min(field.max - 1, 5) }), invalidValue(field.of), fc.nat())
          .map(([n, bad, at]) => {
            const items: Json[] = Array.from({ length: n }, () => field.sample);
            items.splice(at % (n + 1), 0, bad);
            return items;
          }),
      ];
      if (field.unique && field.max > 1) options.push(fc.constant([field.sample, field.sample]));
      return fc.oneof(...options);
    }
    case 'object': {
      const names = Object.keys(field.fields);
      const required = names.filter((n) => !field.fields[n].optional);
      const sample = validSample(field);
      const options: Array<fc.Arbitrary<Json>> = [
        wrongType(['object'], optional),
        fc
          .constantFrom(...names)
          .chain((name) => invalidValue(field.fields[name]).map((bad) => withOwn(sample, name, bad))),
        fc.tuple(unknownKey(names), anyJson).map(([key, value]) => withOwn(sample, key, value)),
      ];
      if (required.length) options.push(fc.constantFrom(...required).map((name) => without(sample, name)));
      return fc.oneof(...options);
    }
  }
}

/** A small valid value of an object field (its required fields only), to mutate inside. */
function validSample(field: Extract<Field, { kind: 'object' }>): JsonObject {
  const sample: JsonObject = {};
  for (const [name, f] of Object.entries(field.fields)) {
    if (f.optional) continue;
    sample[name] = sampleOf(f);
  }
  return sample;
}

function sampleOf(field: Field): Json {
  switch (field.kind) {
    case 'text':
      return 'Valid text';
    case 'choice':
      return field.values[0];
    case 'uuid':
      return '00000000-0000-4000-8000-000000000000';
    case 'number':
      return field.min;
    case 'bool':
      return false;
    case 'instant':
      return new Date(Date.now() - 3_600_000).toISOString();
    case 'birthDate':
      return '1990-04-02';
    case 'list':
      return [];
    case 'object':
      return validSample(field);
  }
}

/** Body text that is not JSON at all, or not what JSON allows (truncated, trailing junk, NaN, comments, single quotes). */
export function malformedJson(valid: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.nat({ max: Math.max(valid.length - 1, 0) }).map((n) => valid.slice(0, n)),
    fc.constantFrom('}', ',', ']', 'x', '\u0000', '/* */').map((junk) => valid + junk),
    fc.constantFrom(
      '{"a":NaN}',
      '{"a":Infinity}',
      "{'a':1}",
      '{"a":1,}',
      '{a:1}',
      '{"a":1}//',
      '{"a":"\\ud800',
      '{"a":"\\x00"}',
      '{"a":01}',
      '\uFEFF{}',
      '[',
      '"',
      '',
    ),
    fc.string({ unit: 'binary', maxLength: 50 }).filter((s) => {
      try {
        JSON.parse(s);
        return false;
      } catch {
        return true;
      }
    }),
  );
}
