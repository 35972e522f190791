import { ApiProperty } from '@nestjs/swagger';
import { PagingQueryDto } from '../common/paging';
import { IsPlainText } from '../common/validation';

export const RETENTION_REASON_MAX = 2000;

/** A legal hold placed or lifted, a disposal proposed: why, in words (required). */
export class RetentionReasonDto {
  @ApiProperty({ maxLength: RETENTION_REASON_MAX, description: 'Why (required).' })
  @IsPlainText({ max: RETENTION_REASON_MAX })
  reason: string;
}

export class RetentionReviewsQueryDto extends PagingQueryDto {}
