import { IsIn, IsOptional, ValidateNested, validateSync } from 'class-validator';
import { plainToInstance, Transform, Type } from 'class-transformer';
import { AtMostItems, fieldErrorsOf, hasControlCharacters, IsPlainText, nulFieldOf } from './validation';

class Inner {
  @IsPlainText({ max: 5 })
  note: string;
}

class Outer {
  @IsPlainText({ max: 10 })
  summary: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => Inner)
  inner?: Inner;
}

const errorsFor = (plain: object) => fieldErrorsOf(validateSync(plainToInstance(Outer, plain)));

describe('IsPlainText', () => {
  it('accepts text with tabs and new lines, quotes and tags, exactly as typed', () => {
    expect(errorsFor({ summary: `a\t"<b>'\r\n` })).toEqual({});
  });

  it('rejects empty, over-long and non-text values with a message per field', () => {
    expect(errorsFor({ summary: '' })).toEqual({ summary: ['summary must not be empty'] });
    expect(errorsFor({ summary: 'x'.repeat(11) })).toEqual({ summary: ['summary must be at most 10 characters'] });
    expect(errorsFor({ summary: 42 })).toEqual({ summary: ['summary must be text'] });
  });

  it('treats text of only spaces or new lines as empty', () => {
    expect(errorsFor({ summary: '   \n ' })).toEqual({ summary: ['summary must not be empty'] });
  });

  it('rejects NUL and other control characters', () => {
    expect(hasControlCharacters('a\u0000b')).toBe(true);
    expect(hasControlCharacters('a\u001bb')).toBe(true);
    expect(errorsFor({ summary: 'bad\u0000' })).toEqual({ summary: ['summary must not contain control characters'] });
  });

  it('rejects the C1 controls and lone surrogates, and keeps Welsh letters, emoji, tabs and new lines', () => {
    expect(hasControlCharacters('a\u0085b')).toBe(true);
    expect(hasControlCharacters('a\u009fb')).toBe(true);
    expect(hasControlCharacters('a\ud800b')).toBe(true);
    expect(hasControlCharacters('a\udc00b')).toBe(true);
    expect(hasControlCharacters("Mae'r plentyn yn dweud ŵ ŷ Ŵ 🙂 👩‍👧\tnesaf\r\n")).toBe(false);
    expect(hasControlCharacters('café £5 ©')).toBe(false);
  });

  it('names nested fields with their path', () => {
    expect(errorsFor({ summary: 'ok', inner: { note: '' } })).toEqual({ 'inner.note': ['note must not be empty'] });
  });
});

describe('AtMostItems', () => {
  class Mark {
    @IsPlainText({ max: 5 })
    note: string;
  }

  class Marks {
    @IsOptional()
    @AtMostItems(3)
    @ValidateNested({ each: true })
    @Type(() => Mark)
    marks?: Mark[];

    @IsOptional()
    @AtMostItems(2)
    @IsPlainText({ max: 5 }, { each: true })
    tags?: string[];
  }

  const check = (plain: object) => fieldErrorsOf(validateSync(plainToInstance(Marks, plain)));

  it('checks each item of a list within its maximum', () => {
    expect(check({ marks: [{ note: 'ok' }, { note: '' }, { note: 'ok' }] })).toEqual({
      'marks.1.note': ['note must not be empty'],
    });
  });

  it('refuses a list over its maximum naming only the list: none of its items is checked', () => {
    expect(check({ marks: [{}, {}, {}, {}], tags: ['', 'x\u0000', 'y'] })).toEqual({
      marks: ['marks must have at most 3 items'],
      tags: ['tags must have at most 2 items'],
    });
  });

  it('keeps its maximum on the failed rule, for a page to say it', () => {
    const [error] = validateSync(plainToInstance(Marks, { tags: ['a', 'b', 'c'] }));
    expect(error.contexts?.arrayMaxSize).toEqual({ max: 2 });
  });

  it('also measures a list built by a transform written above it', () => {
    class Query {
      @Transform(({ value }: { value: unknown }) => String(value).split(','))
      @AtMostItems(2)
      @IsIn(['a', 'b', 'c'], { each: true })
      kinds: string[];
    }
    const errors = (kinds: string) => fieldErrorsOf(validateSync(plainToInstance(Query, { kinds })));
    expect(errors('a,b')).toEqual({});
    expect(errors('a,b,z')).toEqual({ kinds: ['kinds must have at most 2 items'] });
  });
});

describe('nulFieldOf', () => {
  it('names the first field holding a NUL, in a value or a key, as an API path', () => {
    expect(nulFieldOf({ referral: { householdMembers: [{ name: 'Ann' }, { name: 'B\u0000' }] } })).toBe(
      'referral.householdMembers.1.name',
    );
    expect(nulFieldOf({ ['a\u0000']: 1 })).toBe('a\u0000');
    expect(nulFieldOf('\u0000', 'pupilId')).toBe('pupilId');
  });

  it('passes everything else, control characters included (IsPlainText names those per field)', () => {
    expect(nulFieldOf({ summary: 'a\u0001\u0085\t\n', n: 1, list: [null, true, 'ŵ'] })).toBeNull();
    expect(nulFieldOf(undefined)).toBeNull();
  });
});
