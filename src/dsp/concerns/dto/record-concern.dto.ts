import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNumber,
  IsOptional,
  IsUUID,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsPlainText } from '../../../common/validation';
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
  @IsPlainText({ min: 0, max: 500 })
  note?: string | null;
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

  @IsPlainText({ min: 1, max: 10000 })
  summary: string;

  @IsOptional()
  @IsPlainText({ min: 1, max: 10000 })
  childsWords?: string | null;

  @ValidateIf((dto: RecordConcernDto) => dto.childsWords !== undefined && dto.childsWords !== null)
  @IsIn(['en', 'cy', 'other'], {
    message: "childsWordsLanguage must be en, cy or other when the child's words are given",
  })
  childsWordsLanguage?: 'en' | 'cy' | 'other' | null;

  @IsIn(EVIDENCE_BASES)
  evidenceBasis: (typeof EVIDENCE_BASES)[number];

  @IsOptional()
  @IsPlainText({ min: 1, max: 10000 })
  actionTaken?: string | null;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => LinkedPupilDto)
  linkedPupils?: LinkedPupilDto[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => BodyMapMarkDto)
  bodyMap?: BodyMapMarkDto[];
}
