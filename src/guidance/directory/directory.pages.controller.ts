import { Body, Controller, Get, Param, Post, Query, Render, Res } from '@nestjs/common';
import { IsIn, IsOptional } from 'class-validator';
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
  entryFormErrorsOfProblems,
  ServiceFormInput,
  thresholdErrorsOf,
  thresholdFormErrorsOfProblems,
  ThresholdFormInput,
  toDirectoryPage,
  toEntryFields,
  toNewEntry,
  toServiceFormPage,
} from './directory-pages.mapper';
import { DirectoryEntryDto, NewDirectoryEntryDto, ThresholdsDto } from './dto/directory-entry.dto';
import {
  checkboxes,
  FormCheckboxes,
  FormChoice,
  FormError,
  FormText,
  FormTick,
  text,
  ticked,
  validateAs,
  wholeNumber,
} from '../../web/forms';
import { IdParam } from '../../common/id-param';
import { ISSUE_CODES } from '../codes';
import { InvalidInputError } from '../../common/domain-error';

export class DirectoryPageQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(DIRECTORY_DONE)
  done?: DirectoryDone;
}

/** Every field of the service form, all optional: DirectoryEntryDto's rules apply to what it maps to. */
export class ServiceEntryFormDto extends PageFormDto {
  @FormText() nameEn?: string;
  @FormText() nameCy?: string;
  @FormText() descriptionEn?: string;
  @FormText() descriptionCy?: string;
  @FormText() howToAccessEn?: string;
  @FormText() howToAccessCy?: string;
  @FormChoice() minLevel?: string;
  @FormChoice() maxLevel?: string;
  @FormCheckboxes(ISSUE_CODES.length) issueTags?: string[];
  /** The checkbox is present (`true`) when ticked and absent when not. */
  @FormTick() active?: string;
}

export class NewServiceFormDto extends ServiceEntryFormDto {
  @FormChoice() code?: string;
}

export class ResponseTimeFormDto extends PageFormDto {
  @FormChoice() earlyHelpResponseDays?: string;
}

export class ThresholdsFormDto extends PageFormDto {
  @FormChoice() patternFrequencyCount?: string;
  @FormChoice() patternFrequencyDays?: string;
  @FormChoice() patternCategoriesCount?: string;
  @FormChoice() patternCategoriesDays?: string;
  @FormChoice() afterMashClosureMonths?: string;
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
    nameEn: text(form.nameEn),
    nameCy: text(form.nameCy),
    descriptionEn: text(form.descriptionEn),
    descriptionCy: text(form.descriptionCy),
    howToAccessEn: text(form.howToAccessEn),
    howToAccessCy: text(form.howToAccessCy),
    minLevel: text(form.minLevel),
    maxLevel: text(form.maxLevel),
    issueTags: checkboxes(form.issueTags),
    active: ticked(form.active),
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
    this.directory.assertMayManage(actor);
    const input = inputOf(form, text(form.code));
    const { problems } = await validateAs(NewDirectoryEntryDto, toNewEntry(input));
    if (problems.length) return this.renderForm(response, 400, 'new', input, entryFormErrorsOfProblems(problems));
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
  async editForm(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Query() _query: PageQueryDto) {
    return toServiceFormPage('edit', formInputOf(await this.directory.get(actor, id)), { id });
  }

  @Post(':id/edit')
  async update(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() form: ServiceEntryFormDto,
    @Res() response: Response,
  ) {
    this.directory.assertMayManage(actor);
    const input = inputOf(form);
    const { problems } = await validateAs(DirectoryEntryDto, toEntryFields(input));
    if (problems.length) {
      const { code } = await this.directory.get(actor, id);
      return this.renderForm(response, 400, 'edit', { ...input, code }, entryFormErrorsOfProblems(problems), id);
    }
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
    this.directory.assertMayManage(actor);
    const input: ThresholdFormInput = Object.fromEntries(THRESHOLD_FIELDS.map((key) => [key, form[key] ?? '']));
    const values = Object.fromEntries(THRESHOLD_FIELDS.map((key) => [key, wholeNumber(input[key])]));
    const { problems } = await validateAs(ThresholdsDto, values);
    const render = async (status: number, errors: FormError[]) =>
      response
        .status(status)
        .render(
          'guidance/services',
          toDirectoryPage(await this.directory.overview(actor), { thresholdInput: input, errors }),
        );
    if (problems.length) return render(400, thresholdFormErrorsOfProblems(problems));
    try {
      await this.directory.updateThresholds(actor, values);
    } catch (error) {
      const problem = thresholdErrorsOf(error);
      if (!problem) throw error;
      return render(problem.status, problem.errors);
    }
    return response.redirect(303, '/la/services?done=thresholds');
  }

  /** Early help's response time: the working days an early-help referral has before it shows as overdue. */
  @Post('response-time')
  async responseTime(@CurrentActor() actor: Actor, @Body() form: ResponseTimeFormDto, @Res() response: Response) {
    this.directory.assertMayManage(actor);
    const input = text(form.earlyHelpResponseDays);
    try {
      await this.directory.updateEarlyHelpResponseDays(actor, wholeNumber(input));
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      const errors: FormError[] = [{ field: 'earlyHelpResponseDays', key: 'directory.responseTime.error' }];
      return response
        .status(400)
        .render(
          'guidance/services',
          toDirectoryPage(await this.directory.overview(actor), { responseTimeInput: input, errors }),
        );
    }
    return response.redirect(303, '/la/services?done=responseTime');
  }

  private renderForm(
    response: Response,
    status: number,
    mode: 'new' | 'edit',
    input: ServiceFormInput,
    errors: FormError[],
    id?: string,
  ) {
    response.status(status).render('guidance/service-form', toServiceFormPage(mode, input, { id, errors }));
  }
}
