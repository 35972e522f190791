import { Type } from 'class-transformer';
import { IsIn, IsOptional, ValidateNested } from 'class-validator';
import { AtMostItems, IsPlainText } from '../../common/validation';
import { IsInstantNotInFuture } from '../../common/instant-validators';
import { checkboxes, given, rows, text, ticked, wholeNumber, yesNo } from './coerce';
import { addOnce, FormError, inPageOrder } from './form-error';
import { formErrorOf, FormSpec, problemsOfFieldErrors, validateAs } from './form-validation';

class Row {
  @IsPlainText({ max: 5 })
  name: string;
}

class Sample {
  @IsPlainText({ min: 1, max: 10 })
  summary: string;

  @IsIn(['a', 'b'])
  choice: string;

  @IsOptional()
  @IsPlainText({ min: 1, max: 3 }, { each: true })
  @AtMostItems(2)
  tags?: string[];

  @IsOptional()
  @IsInstantNotInFuture()
  at?: string;

  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => Row)
  rows?: Row[];
}

const kinds = async (plain: object) =>
  (await validateAs(Sample, plain)).problems.map((p) => [p.path, p.kind, p.max ?? null, p.pattern, p.indexes]);

describe('the form layer', () => {
  it('reads the kind of each problem from the rule that failed, with its limit from the rule', async () => {
    expect(await kinds({ summary: 'x'.repeat(11), choice: 'c' })).toEqual([
      ['summary', 'tooLong', 10, 'summary', []],
      ['choice', 'invalidChoice', null, 'choice', []],
    ]);
    expect(await kinds({ summary: '   ', choice: undefined })).toEqual([
      ['summary', 'missing', null, 'summary', []],
      ['choice', 'missing', null, 'choice', []],
    ]);
    expect(await kinds({ summary: 'a\u0000', choice: 'a', tags: ['ok', 'long'] })).toEqual([
      ['summary', 'controlCharacters', null, 'summary', []],
      ['tags', 'tooLong', 3, 'tags', []],
    ]);
    expect(await kinds({ summary: 'a', choice: 'a', tags: ['a', 'b', 'c'] })).toEqual([
      ['tags', 'tooMany', 2, 'tags', []],
    ]);
    expect(await kinds({ summary: 'a', choice: 'a', at: '2999-01-01T00:00:00Z' })).toEqual([
      ['at', 'future', null, 'at', []],
    ]);
    expect(await kinds({ summary: 'a', choice: 'a', at: '1980-01-01T00:00:00Z' })).toEqual([
      ['at', 'tooEarly', null, 'at', []],
    ]);
    expect(await kinds({ summary: 'a', choice: 'a', rows: [{ name: 'ok' }, { name: 'toolong' }] })).toEqual([
      ['rows.1.name', 'tooLong', 5, 'rows.*.name', [1]],
    ]);
  });

  it('places problems on form fields with catalogue keys, by the spec alone', async () => {
    const spec: FormSpec = {
      common: { tooLong: 'f.tooLong', otherwise: 'f.invalid' },
      fallbackField: 'summary',
      fields: {
        summary: { keys: { missing: 'f.summaryMissing' } },
        choice: { field: 'choiceField', keys: { missing: null, otherwise: 'f.choice' } },
        'rows.*.name': { field: ([i]) => `rows-${i + 2}-name`, row: ([i]) => i + 3 },
      },
    };
    const { problems } = await validateAs(Sample, { summary: '', choice: 'zzz', rows: [{ name: '123456' }] });
    expect(problems.map((p) => formErrorOf(p, spec))).toEqual([
      { field: 'summary', key: 'f.summaryMissing' },
      { field: 'choiceField', key: 'f.choice' },
      { field: 'rows-2-name', key: 'f.tooLong', row: 3, max: 5 },
    ]);
    const missingChoice = (await validateAs(Sample, { summary: 'a' })).problems;
    expect(missingChoice.map((p) => formErrorOf(p, spec))).toEqual([null]);
    expect(problemsOfFieldErrors({ 'other.0.thing': ['x'] }).map((p) => formErrorOf(p, spec))).toEqual([
      { field: 'summary', key: 'f.invalid' },
    ]);
  });

  it('keeps one error a field, in page order', () => {
    const errors: FormError[] = [];
    addOnce(errors, { field: 'b', key: 'one' });
    addOnce(errors, { field: 'b', key: 'two' });
    addOnce(errors, { field: 'a-0-x', key: 'three' });
    addOnce(errors, null);
    expect(inPageOrder(errors, ['a', 'b'])).toEqual([
      { field: 'a-0-x', key: 'three' },
      { field: 'b', key: 'one' },
    ]);
  });

  it('coerces what browsers post', () => {
    expect(text(undefined)).toBe('');
    expect(text(['x'])).toBe('');
    expect(checkboxes('a')).toEqual(['a']);
    expect(checkboxes(['a', 1, 'b'])).toEqual(['a', 'b']);
    expect(checkboxes(undefined)).toEqual([]);
    expect(ticked('true')).toBe(true);
    expect(ticked('on')).toBe(false);
    expect(given('  ')).toBeUndefined();
    expect(given(' x ')).toBe(' x ');
    expect(yesNo('yes')).toBe(true);
    expect(yesNo('no')).toBe(false);
    expect(yesNo('maybe')).toBeUndefined();
    expect(wholeNumber(' 12 ')).toBe(12);
    expect(wholeNumber('1.5')).toBeNaN();
    expect(rows([{ v: 'a' }], 3, (row) => text((row as { v?: unknown }).v))).toEqual(['a', '', '']);
  });
});
