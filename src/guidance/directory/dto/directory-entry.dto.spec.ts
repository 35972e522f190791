import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { fieldErrorsOf } from '../../../common/validation';
import { ISSUE_CODES } from '../../codes';
import { DirectoryEntryDto } from './directory-entry.dto';

const entry = (issueTags: unknown) => ({
  nameEn: 'ELSA',
  nameCy: 'ELSA',
  descriptionEn: 'Support',
  descriptionCy: 'Cymorth',
  howToAccessEn: 'Ask',
  howToAccessCy: 'Gofynnwch',
  minLevel: 1,
  maxLevel: 2,
  issueTags,
  active: true,
});
const errorsFor = (plain: object) => fieldErrorsOf(validateSync(plainToInstance(DirectoryEntryDto, plain)));

describe("A directory entry's issue tags", () => {
  it('takes every issue code once', () => {
    expect(errorsFor(entry([...ISSUE_CODES]))).toEqual({});
  });

  it('refuses more tags than there are codes with one message, before reading any tag', () => {
    const tooMany = Array.from({ length: ISSUE_CODES.length + 1 }, () => 'not-a-code');
    expect(errorsFor(entry(tooMany))).toEqual({
      issueTags: [`issueTags must have at most ${ISSUE_CODES.length} items`],
    });
  });
});
