import { Allow, IsIn } from 'class-validator';
import { IsPlainText } from '../../../common/validation';
import { AMENDABLE_FIELDS, AmendableField } from '../concern-amendment.entity';
import { MAX_AMENDMENT_REASON } from '../amendment-rules';

/**
 * A correction of one field (API.md, Corrections). `value` is checked by the service exactly as
 * recording a concern checks that field (amendment-rules.ts), so its rules live in one place.
 */
export class AmendConcernDto {
  @IsIn(AMENDABLE_FIELDS)
  field: AmendableField;

  @Allow()
  value: unknown;

  @IsPlainText({ min: 1, max: MAX_AMENDMENT_REASON })
  reason: string;
}
