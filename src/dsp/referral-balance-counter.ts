import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DAY_MS, parseCalendarDate } from '../calendar/london-time';
import { REFERRAL_BALANCE_COLUMNS } from '../database/migrations/1764640200000-ReferralBalanceCounts';

/** One summed count: the organisation, the measure (referral-balance-count-writer.ts) and the sum. */
export interface MeasureRow {
  organisationId: string;
  measure: string;
  /** A string on PostgreSQL (SUM of integers is bigint); the caller takes Number(). */
  n: string | number;
}

/** Whole London calendar days, both included (`YYYY-MM-DD`). */
export interface CountPeriod {
  from: string;
  to: string;
}

/** A range of rows of one span: days `YYYY-MM-DD` or months `YYYY-MM`, both ends included. */
interface BucketRange {
  span: 'day' | 'month';
  first: string;
  last: string;
}

const dateText = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * The period as the fewest rows: the whole months inside it, and the days before the first and after
 * the last of them (or only days, when no whole month fits). One year is at most about 60 day rows and
 * 12 month rows per organisation and measure, whatever the number of concerns.
 */
export function bucketRanges(period: CountPeriod): BucketRange[] {
  const from = parseCalendarDate(period.from)!;
  const to = parseCalendarDate(period.to)!;
  const fromDate = new Date(from * DAY_MS);
  const toDate = new Date(to * DAY_MS);
  // First day of the first whole month, and the day after the last whole month.
  const firstWhole =
    fromDate.getUTCDate() === 1 ? from : Date.UTC(fromDate.getUTCFullYear(), fromDate.getUTCMonth() + 1, 1) / DAY_MS;
  const afterWhole =
    to + 1 === Date.UTC(toDate.getUTCFullYear(), toDate.getUTCMonth() + 1, 1) / DAY_MS
      ? to + 1
      : Date.UTC(toDate.getUTCFullYear(), toDate.getUTCMonth(), 1) / DAY_MS;
  if (firstWhole >= afterWhole) return [{ span: 'day', first: period.from, last: period.to }];
  const ranges: BucketRange[] = [];
  if (from < firstWhole) ranges.push({ span: 'day', first: period.from, last: dateText(firstWhole - 1) });
  ranges.push({ span: 'month', first: dateText(firstWhole).slice(0, 7), last: dateText(afterWhole - 1).slice(0, 7) });
  if (afterWhole <= to) ranges.push({ span: 'day', first: dateText(afterWhole), last: period.to });
  return ranges;
}

/**
 * The counts behind the referral-balance report (reports/), read from `referral_balance_counts`, the
 * read model dsp keeps up to date as records are written (ReferralBalanceCountWriter, where each
 * measure is defined). Never a scan of the history: per range of buckets one query served by the
 * primary key (organisation_id, span, bucket), GROUP BY organisation, one SUM per measure column;
 * a year for 130 schools is a few thousand rows.
 */
@Injectable()
export class ReferralBalanceCounter {
  async measureCounts(manager: EntityManager, organisationIds: string[], period: CountPeriod): Promise<MeasureRow[]> {
    const rows: MeasureRow[] = [];
    for (const range of bucketRanges(period)) {
      const query = manager
        .createQueryBuilder()
        .select('counts.organisation_id', 'organisationId')
        .from('referral_balance_counts', 'counts')
        .where('counts.organisation_id IN (:...organisationIds)', { organisationIds })
        .andWhere('counts.span = :span AND counts.bucket >= :first AND counts.bucket <= :last', range)
        .groupBy('counts.organisation_id');
      for (const column of REFERRAL_BALANCE_COLUMNS) query.addSelect(`SUM(counts.${column.name})`, column.name);
      for (const sums of await query.getRawMany<Record<string, string | number | null>>()) {
        for (const column of REFERRAL_BALANCE_COLUMNS) {
          const n = Number(sums[column.name] ?? 0);
          if (n !== 0) rows.push({ organisationId: String(sums.organisationId), measure: column.measure, n });
        }
      }
    }
    return rows;
  }
}
