import { OneUsePageFormDto } from '../../../common/page-form.dto';
import { FormChoice, FormRows, FormText } from '../../../web/forms';

/**
 * The referral form on the concern page, as the browser posts it. All optional text: the page
 * re-renders with the DSP's input kept, and SendEscalationDto's rules (400) and the service's
 * escalation rules (422) apply to what it maps to (see referral-form.ts).
 */

/** The form's rows for the household (a fixed number, shown whether used or not). */
export const HOUSEHOLD_ROWS = 4;

export class HouseholdMemberFormDto {
  @FormText() name?: string;
  @FormText() relationship?: string;
  @FormChoice() dateOfBirth?: string;
}

export class ReferralFormDto extends OneUsePageFormDto {
  @FormChoice() route?: string;
  /** `yes`, `no` or `unsure`: the threshold judgement. */
  @FormChoice() reasonableCause?: string;
  @FormText() reasonForRoute?: string;
  /** `yes` or `no`. */
  @FormChoice() consentSought?: string;
  /** `yes` or `no`. */
  @FormChoice() consentGiven?: string;
  @FormText() consentGivenBy?: string;
  @FormText() reasonNotSought?: string;
  @FormRows(() => HouseholdMemberFormDto, HOUSEHOLD_ROWS) householdMembers?: HouseholdMemberFormDto[];
  @FormText() parentalResponsibility?: string;
  @FormText() address?: string;
  /** One agency a line. */
  @FormText() agenciesInvolved?: string;
  @FormText() protectiveMeasures?: string;
  @FormText() knownAboutChildAndFamily?: string;
  @FormText() additionalNeeds?: string;
  @FormText() communicationNeeds?: string;
  @FormText() riskToVisitors?: string;
  @FormText() familyLanguage?: string;
  @FormChoice() phonedDate?: string;
  @FormChoice() phonedTime?: string;
}
