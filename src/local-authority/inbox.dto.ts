import { IsIn, IsOptional } from 'class-validator';
import { PageFormDto } from '../common/page-form.dto';
import { IsPlainText } from '../common/validation';
import { DESIGNATED_OFFICER_OUTCOMES, EARLY_HELP_OUTCOMES, MASH_OUTCOMES } from '../guidance/codes';
import { ESCALATION_STATUSES } from '../dsp/escalations/referral-status';

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

export class InboxQueryDto {
  @IsOptional()
  @IsIn(ESCALATION_STATUSES)
  status?: (typeof ESCALATION_STATUSES)[number];
}

export class RecordOutcomeDto {
  @IsIn(LA_OUTCOMES)
  outcome: string;

  @IsPlainText({ min: 1, max: 10000 })
  note: string;
}

export class RecordOutcomeFormDto extends PageFormDto {
  @IsOptional()
  @IsIn(LA_OUTCOMES)
  outcome?: string;

  @IsOptional()
  @IsPlainText({ min: 0, max: 10000 })
  note?: string;
}
