import { IsIn, IsOptional } from 'class-validator';
import { OneUsePageFormDto } from '../common/page-form.dto';
import { IsPlainText } from '../common/validation';
import { FormChoice, FormText } from '../web/forms';
import { DESIGNATED_OFFICER_OUTCOMES, EARLY_HELP_OUTCOMES, MASH_OUTCOMES } from '../guidance/codes';
import { ESCALATION_STATUSES } from '../dsp/escalations/referral-status';
import { PageNumber, PageSize, PAGE_SIZE } from '../common/paging';

export { ESCALATION_STATUSES };

/** Every local-authority outcome code; which ones fit a referral depends on its route (a 422 otherwise). */
export const LA_OUTCOMES = [
  ...new Set<string>([...MASH_OUTCOMES, ...EARLY_HELP_OUTCOMES, ...DESIGNATED_OFFICER_OUTCOMES]),
];

export const OUTCOMES_BY_ROUTE: Record<string, readonly string[]> = {
  mash: MASH_OUTCOMES,
  early_help: EARLY_HELP_OUTCOMES,
  designated_officer: DESIGNATED_OFFICER_OUTCOMES,
};

/** Inbox pages: `pageSize` 1 to 200, 50 unless asked (API.md, Paging). */
export const INBOX_PAGE_SIZE = PAGE_SIZE;

export class InboxQueryDto {
  @IsOptional()
  @IsIn(ESCALATION_STATUSES)
  status?: (typeof ESCALATION_STATUSES)[number];

  @PageNumber()
  page?: number;

  @PageSize()
  pageSize?: number;
}

/** An outcome's note, at most this long. */
export const OUTCOME_NOTE_MAX = 10_000;

export class RecordOutcomeDto {
  @IsIn(LA_OUTCOMES)
  outcome: string;

  @IsPlainText({ min: 1, max: OUTCOME_NOTE_MAX })
  note: string;
}

/** The outcome form on the referral page, as posted; RecordOutcomeDto's rules apply to what it maps to. */
export class RecordOutcomeFormDto extends OneUsePageFormDto {
  @FormChoice() outcome?: string;
  @FormText() note?: string;
}
