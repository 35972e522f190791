import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../common/page-query.dto';
import { IsPlainText } from '../common/validation';
import { SORT_DIRECTIONS, SORT_KEYS, SortDirection, SortKey } from './referral-balance.columns';

/**
 * `GET /api/reports/referral-balance?from=&to=`: dates as `YYYY-MM-DD` (London), both optional.
 * Only the type and length are checked here; the service reads the dates (report-period.ts), so the
 * API and the page answer the same 400 keyed `from` / `to`, and the page can re-render its form.
 */
export class ReferralBalanceQueryDto {
  @ApiPropertyOptional({
    format: 'date',
    example: '2025-09-01',
    description:
      'First day counted (YYYY-MM-DD, Europe/London). Default: the day after the same date a year before `to`.',
  })
  @IsOptional()
  @IsPlainText({ min: 0, max: 40 })
  from?: string;

  @ApiPropertyOptional({
    format: 'date',
    example: '2026-03-31',
    description: 'Last day counted, included to the end of that day in Europe/London (YYYY-MM-DD). Default: today.',
  })
  @IsOptional()
  @IsPlainText({ min: 0, max: 40 })
  to?: string;
}

/** The drill-down's period (GET), plus the language switch every page accepts. */
export class ReferralBalancePageQueryDto extends PageQueryDto {
  @IsOptional()
  @IsPlainText({ min: 0, max: 40 })
  from?: string;

  @IsOptional()
  @IsPlainText({ min: 0, max: 40 })
  to?: string;
}

/** The table's period and sort (header links, so it sorts without JavaScript); anything else is 400. */
export class ReferralBalanceTableQueryDto extends ReferralBalancePageQueryDto {
  @IsOptional()
  @IsIn(SORT_KEYS)
  sort?: SortKey;

  @IsOptional()
  @IsIn(SORT_DIRECTIONS)
  dir?: SortDirection;
}
