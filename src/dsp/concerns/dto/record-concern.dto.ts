import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsNumber,
  IsOptional,
  IsUUID,
  Max,
  Min,
  registerDecorator,
  ValidateNested,
} from 'class-validator';
import { AtMostItems, IsPlainText } from '../../../common/validation';
import { MAX_BODY_MAP_MARKS } from '../body-map';
import {
  CONCERN_CONTEXTS,
  ConcernCategory,
  EVIDENCE_BASES,
  IssueCode,
  LINKED_PUPIL_ROLES,
  RiskIndicator,
} from '../../../guidance/codes';
import {
  IsConcernCategory,
  IsIssueCodeList,
  IsOccurredAt,
  IsRiskIndicatorList,
} from '../../../guidance/dto/code-validators';

/** The limits of a concern's fields, one place for the API and the page (which reads them from the failed rule). */
export const CONCERN_LIMITS = { text: 10_000, markNote: 500, linkedPupils: 20, languageName: 60 } as const;

export class LinkedPupilDto {
  @IsUUID('all', { message: 'pupilId must be a pupil id' })
  pupilId: string;

  @IsIn(LINKED_PUPIL_ROLES)
  role: (typeof LINKED_PUPIL_ROLES)[number];
}

export class BodyMapMarkDto {
  @IsIn(['front', 'back'])
  view: 'front' | 'back';

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  x: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  y: number;

  @IsOptional()
  @IsPlainText({ min: 0, max: CONCERN_LIMITS.markNote })
  note?: string | null;
}

/** The language's name means something only beside "another language"; elsewhere it is a 400 on that field. */
function OnlyForAnotherLanguage() {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'onlyForAnotherLanguage',
      target: object.constructor,
      propertyName,
      validator: {
        validate: (_value: unknown, args) => (args?.object as RecordConcernDto).childsWordsLanguage === 'other',
        defaultMessage: () => `${propertyName} is only given when childsWordsLanguage is other`,
      },
    });
}

const hasChildsWords = (dto: RecordConcernDto) => dto.childsWords !== undefined && dto.childsWords !== null;

/**
 * The child's words' language means something only beside the words: without them it would be dropped
 * unseen, so it is a 400 on that field instead.
 */
function OnlyWithChildsWords() {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'onlyWithChildsWords',
      target: object.constructor,
      propertyName,
      validator: {
        validate: (value: unknown, args) =>
          value === undefined || value === null || hasChildsWords(args?.object as RecordConcernDto),
        defaultMessage: () => `${propertyName} is only given with childsWords`,
      },
    });
}

/** DOMAIN.md's concern fields, strictly: unknown fields and codes, empty or over-long text are 400s. */
export class RecordConcernDto {
  @IsUUID('all', { message: 'pupilId must be a pupil id' })
  pupilId: string;

  @IsOccurredAt()
  occurredAt: string;

  @IsConcernCategory()
  category: ConcernCategory;

  @IsOptional()
  @IsIssueCodeList()
  issues?: IssueCode[];

  @IsOptional()
  @IsRiskIndicatorList()
  indicators?: RiskIndicator[];

  @IsOptional()
  @IsIn(CONCERN_CONTEXTS)
  context?: (typeof CONCERN_CONTEXTS)[number] | null;

  @IsPlainText({ min: 1, max: CONCERN_LIMITS.text })
  summary: string;

  @IsOptional()
  @IsPlainText({ min: 1, max: CONCERN_LIMITS.text })
  childsWords?: string | null;

  @IsIn(['en', 'cy', 'other'], {
    message: "childsWordsLanguage must be en, cy or other when the child's words are given",
    // Required with the words; without them OnlyWithChildsWords says why it is there at all.
    validateIf: (dto: RecordConcernDto) => hasChildsWords(dto),
  })
  @OnlyWithChildsWords()
  childsWordsLanguage?: 'en' | 'cy' | 'other' | null;

  /** Which language, when the child spoke `other` ("Polish"): so the DSP and MASH can find an interpreter. */
  @IsOptional()
  @IsPlainText({ min: 1, max: CONCERN_LIMITS.languageName })
  @OnlyForAnotherLanguage()
  @OnlyWithChildsWords()
  childsWordsLanguageName?: string | null;

  @IsIn(EVIDENCE_BASES)
  evidenceBasis: (typeof EVIDENCE_BASES)[number];

  @IsOptional()
  @IsPlainText({ min: 1, max: CONCERN_LIMITS.text })
  actionTaken?: string | null;

  @IsOptional()
  @IsArray()
  @AtMostItems(CONCERN_LIMITS.linkedPupils)
  @ValidateNested({ each: true })
  @Type(() => LinkedPupilDto)
  linkedPupils?: LinkedPupilDto[];

  @IsOptional()
  @IsArray()
  @AtMostItems(MAX_BODY_MAP_MARKS)
  @ValidateNested({ each: true })
  @Type(() => BodyMapMarkDto)
  bodyMap?: BodyMapMarkDto[];
}
