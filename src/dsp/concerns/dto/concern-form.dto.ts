import { Type } from 'class-transformer';
import { IsArray, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { PageFormDto } from '../../../common/page-form.dto';
import { PageQueryDto } from '../../../common/page-query.dto';

/**
 * The "record a concern" page form, as the browser posts it (urlencoded, parsed with qs). Every field
 * is optional text here: the page re-renders with the person's input and an error summary, and the
 * real rules are RecordConcernDto's, applied to what this form maps to (see concern-form.ts).
 * Lengths here only stop absurd posts; the friendly limits are RecordConcernDto's.
 */
const TEXT = 50_000;

export class ConcernFormQueryDto extends PageQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  pupilId?: string;
}

export class LinkedPupilFormDto {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  pupilId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  role?: string;
}

/** A mark already on the map, carried in hidden inputs (`bodyMap[0][view]`...) and an editable note. */
export class BodyMapMarkFormDto {
  @IsOptional()
  @IsString()
  @MaxLength(10)
  view?: string;

  @IsOptional()
  @IsString()
  @MaxLength(30)
  x?: string;

  @IsOptional()
  @IsString()
  @MaxLength(30)
  y?: string;

  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  note?: string;
}

export class ConcernFormDto extends PageFormDto {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  pupilId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(30)
  occurredDate?: string;

  @IsOptional()
  @IsString()
  @MaxLength(30)
  occurredTime?: string;

  @IsOptional()
  @IsString()
  @MaxLength(50)
  category?: string;

  /** One checkbox ticked posts a string, several post an array. */
  @IsOptional()
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  issues?: string | string[];

  @IsOptional()
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  indicators?: string | string[];

  @IsOptional()
  @IsString()
  @MaxLength(50)
  context?: string;

  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  summary?: string;

  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  childsWords?: string;

  @IsOptional()
  @IsString()
  @MaxLength(10)
  childsWordsLanguage?: string;

  @IsOptional()
  @IsString()
  @MaxLength(50)
  evidenceBasis?: string;

  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  actionTaken?: string;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => LinkedPupilFormDto)
  linkedPupils?: LinkedPupilFormDto[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => BodyMapMarkFormDto)
  bodyMap?: BodyMapMarkFormDto[];

  /** The "add a mark by body area" controls. */
  @IsOptional()
  @IsString()
  @MaxLength(30)
  markRegion?: string;

  @IsOptional()
  @IsString()
  @MaxLength(10)
  markView?: string;

  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  markNote?: string;

  /** Which submit button was pressed: `record` (the default) or `addMark`. */
  @IsOptional()
  @IsString()
  @MaxLength(20)
  action?: string;

  /** The remove button of a listed mark posts that mark's index. */
  @IsOptional()
  @IsString()
  @MaxLength(10)
  removeMark?: string;

  // A click on `<input type="image" name="bodyMapFront">` posts `bodyMapFront.x` and `bodyMapFront.y`
  // (pixels from the image's top left corner). body-parser's qs keeps the dotted names as they are.
  @IsOptional()
  @IsString()
  @MaxLength(20)
  'bodyMapFront.x'?: string;

  @IsOptional()
  @IsString()
  @MaxLength(20)
  'bodyMapFront.y'?: string;

  @IsOptional()
  @IsString()
  @MaxLength(20)
  'bodyMapBack.x'?: string;

  @IsOptional()
  @IsString()
  @MaxLength(20)
  'bodyMapBack.y'?: string;
}
