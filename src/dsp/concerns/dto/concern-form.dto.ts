import { IsOptional, IsString, MaxLength } from 'class-validator';
import { OneUsePageFormDto } from '../../../common/page-form.dto';
import { PageQueryDto } from '../../../common/page-query.dto';
import { ISSUE_CODES, RISK_INDICATORS } from '../../../guidance/codes';
import { FormCheckboxes, FormChoice, FormRows, FormText } from '../../../web/forms';
import { MAX_BODY_MAP_MARKS } from '../body-map';

/**
 * The "record a concern" page form, as the browser posts it (urlencoded, parsed with qs). Every field
 * is optional text here (web/forms/form-fields.ts): the page re-renders with the person's input and an
 * error summary, and the real rules are RecordConcernDto's, applied to what this form maps to
 * (concern-form.parser.ts).
 */

export class ConcernFormQueryDto extends PageQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  pupilId?: string;
}

/** The form's rows for other pupils involved (a fixed number, shown whether used or not). */
export const LINKED_PUPIL_ROWS = 3;

export class LinkedPupilFormDto {
  @FormChoice() pupilId?: string;
  @FormChoice() role?: string;
}

/** A mark already on the map, carried in hidden inputs (`bodyMap[0][view]`...) and an editable note. */
export class BodyMapMarkFormDto {
  @FormChoice() view?: string;
  @FormChoice() x?: string;
  @FormChoice() y?: string;
  @FormText() note?: string;
}

export class ConcernFormDto extends OneUsePageFormDto {
  @FormChoice() pupilId?: string;
  @FormChoice() occurredDate?: string;
  @FormChoice() occurredTime?: string;
  @FormChoice() category?: string;
  @FormCheckboxes(ISSUE_CODES.length) issues?: string | string[];
  @FormCheckboxes(RISK_INDICATORS.length) indicators?: string | string[];
  @FormChoice() context?: string;
  @FormText() summary?: string;
  @FormText() childsWords?: string;
  @FormChoice() childsWordsLanguage?: string;
  @FormText() childsWordsLanguageName?: string;
  @FormChoice() evidenceBasis?: string;
  @FormText() actionTaken?: string;
  @FormRows(() => LinkedPupilFormDto, LINKED_PUPIL_ROWS) linkedPupils?: LinkedPupilFormDto[];
  /** The marks so far, each in hidden inputs: the page adds none past the body map's maximum. */
  @FormRows(() => BodyMapMarkFormDto, MAX_BODY_MAP_MARKS) bodyMap?: BodyMapMarkFormDto[];

  /** The "add a mark by body area" controls. */
  @FormChoice() markRegion?: string;
  @FormChoice() markView?: string;
  @FormText() markNote?: string;

  /**
   * Which submit button was pressed: `record`, `addMark`, `checkGuidance`, or `default` (Enter in a text
   * field: adds the mark being described, if any, else records).
   */
  @FormChoice() action?: string;

  /** The remove button of a listed mark posts that mark's index. */
  @FormChoice() removeMark?: string;

  // A click on `<input type="image" name="bodyMapFront">` posts `bodyMapFront.x` and `bodyMapFront.y`
  // (pixels from the image's top left corner). body-parser's qs keeps the dotted names as they are.
  @FormChoice() 'bodyMapFront.x'?: string;
  @FormChoice() 'bodyMapFront.y'?: string;
  @FormChoice() 'bodyMapBack.x'?: string;
  @FormChoice() 'bodyMapBack.y'?: string;
}
