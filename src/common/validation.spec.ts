import { IsOptional, ValidateNested, validateSync } from 'class-validator';
import { plainToInstance, Type } from 'class-transformer';
import { fieldErrorsOf, hasControlCharacters, IsPlainText } from './validation';

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
