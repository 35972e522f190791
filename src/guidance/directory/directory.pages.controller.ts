import { Body, Controller, Get, Param, Post, Query, Render, Res } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { Response } from 'express';
import { CurrentActor } from '../../auth/current-actor.decorator';
import { Actor } from '../../common/actor';
import { PageFormDto } from '../../common/page-form.dto';
import { PageQueryDto } from '../../common/page-query.dto';
import { DirectoryAdminService, TunableThreshold } from './directory-admin.service';
import {
  DIRECTORY_DONE,
  DirectoryDone,
  entryFormErrorsOf,
  formInputOf,
  PageError,
  ServiceFormInput,
  thresholdErrorsOf,
  ThresholdFormInput,
  toDirectoryPage,
  toEntryFields,
  toNewEntry,
  toServiceFormPage,
  wholeNumber,
} from './directory-pages.mapper';

/** Generous bounds against abuse only: the service checks the real limits and the form shows its answer. */
const FORM_TEXT_MAX = 20000;
const asList = ({ value }: { value: unknown }) =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value];

export class DirectoryPageQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(DIRECTORY_DONE)
  done?: DirectoryDone;
}

/** Every field of the service form, all optional: the service validates and the form comes back with its problems. */
export class ServiceEntryFormDto extends PageFormDto {
  @IsOptional() @IsString() @MaxLength(FORM_TEXT_MAX) nameEn?: string;
  @IsOptional() @IsString() @MaxLength(FORM_TEXT_MAX) nameCy?: string;
  @IsOptional() @IsString() @MaxLength(FORM_TEXT_MAX) descriptionEn?: string;
  @IsOptional() @IsString() @MaxLength(FORM_TEXT_MAX) descriptionCy?: string;
  @IsOptional() @IsString() @MaxLength(FORM_TEXT_MAX) howToAccessEn?: string;
  @IsOptional() @IsString() @MaxLength(FORM_TEXT_MAX) howToAccessCy?: string;
  @IsOptional() @IsString() @MaxLength(10) minLevel?: string;
  @IsOptional() @IsString() @MaxLength(10) maxLevel?: string;

  /** One checkbox ticked arrives as a string, several as a list. */
  @IsOptional()
  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  issueTags?: string[];

  /** The checkbox is present (`true`) when ticked and absent when not. */
  @IsOptional() @IsIn(['true']) active?: string;
}

export class NewServiceFormDto extends ServiceEntryFormDto {
  @IsOptional() @IsString() @MaxLength(200) code?: string;
}

export class ThresholdsFormDto extends PageFormDto {
  @IsOptional() @IsString() @MaxLength(10) patternFrequencyCount?: string;
  @IsOptional() @IsString() @MaxLength(10) patternFrequencyDays?: string;
  @IsOptional() @IsString() @MaxLength(10) patternCategoriesCount?: string;
  @IsOptional() @IsString() @MaxLength(10) patternCategoriesDays?: string;
  @IsOptional() @IsString() @MaxLength(10) afterMashClosureMonths?: string;
}

const THRESHOLD_FIELDS: TunableThreshold[] = [
  'patternFrequencyCount',
  'patternFrequencyDays',
  'patternCategoriesCount',
  'patternCategoriesDays',
  'afterMashClosureMonths',
];

function inputOf(form: ServiceEntryFormDto, code = ''): ServiceFormInput {
  return {
    code,
    nameEn: form.nameEn ?? '',
    nameCy: form.nameCy ?? '',
    descriptionEn: form.descriptionEn ?? '',
    descriptionCy: form.descriptionCy ?? '',
    howToAccessEn: form.howToAccessEn ?? '',
    howToAccessCy: form.howToAccessCy ?? '',
    minLevel: form.minLevel ?? '',
    maxLevel: form.maxLevel ?? '',
    issueTags: form.issueTags ?? [],
    active: form.active === 'true',
  };
}

/** The local authority lead's pages: the services directory, a service's form, and the guidance thresholds. */
@Controller('la/services')
export class DirectoryPagesController {
  constructor(private readonly directory: DirectoryAdminService) {}

  @Get()
  @Render('guidance/services')
  async list(@CurrentActor() actor: Actor, @Query() query: DirectoryPageQueryDto) {
    return toDirectoryPage(await this.directory.overview(actor), { done: query.done });
  }

  @Get('new')
  @Render('guidance/service-form')
  newForm(@CurrentActor() actor: Actor, @Query() _query: PageQueryDto) {
    return toServiceFormPage('new', formInputOf(this.directory.blank(actor)));
  }

  @Post('new')
  async add(@CurrentActor() actor: Actor, @Body() form: NewServiceFormDto, @Res() response: Response) {
    const input = inputOf(form, form.code ?? '');
    try {
      await this.directory.add(actor, toNewEntry(input));
    } catch (error) {
      const problem = entryFormErrorsOf(error);
      if (!problem) throw error;
      return this.renderForm(response, problem.status, 'new', input, problem.errors);
    }
    return response.redirect(303, '/la/services?done=added');
  }

  @Get(':id/edit')
  @Render('guidance/service-form')
  async editForm(@CurrentActor() actor: Actor, @Param('id') id: string, @Query() _query: PageQueryDto) {
    return toServiceFormPage('edit', formInputOf(await this.directory.get(actor, id)), { id });
  }

  @Post(':id/edit')
  async update(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() form: ServiceEntryFormDto,
    @Res() response: Response,
  ) {
    const input = inputOf(form);
    try {
      await this.directory.update(actor, id, toEntryFields(input));
    } catch (error) {
      const problem = entryFormErrorsOf(error);
      if (!problem) throw error;
      // The code is not a field of this form: shown from the record.
      const { code } = await this.directory.get(actor, id);
      return this.renderForm(response, problem.status, 'edit', { ...input, code }, problem.errors, id);
    }
    return response.redirect(303, '/la/services?done=updated');
  }

  @Post('thresholds')
  async thresholds(@CurrentActor() actor: Actor, @Body() form: ThresholdsFormDto, @Res() response: Response) {
    const input: ThresholdFormInput = Object.fromEntries(THRESHOLD_FIELDS.map((key) => [key, form[key] ?? '']));
    try {
      await this.directory.updateThresholds(
        actor,
        Object.fromEntries(THRESHOLD_FIELDS.map((key) => [key, wholeNumber(input[key])])),
      );
    } catch (error) {
      const problem = thresholdErrorsOf(error);
      if (!problem) throw error;
      const page = toDirectoryPage(await this.directory.overview(actor), {
        thresholdInput: input,
        errors: problem.errors,
      });
      return response.status(problem.status).render('guidance/services', page);
    }
    return response.redirect(303, '/la/services?done=thresholds');
  }

  private renderForm(
    response: Response,
    status: number,
    mode: 'new' | 'edit',
    input: ServiceFormInput,
    errors: PageError[],
    id?: string,
  ) {
    response.status(status).render('guidance/service-form', toServiceFormPage(mode, input, { id, errors }));
  }
}
