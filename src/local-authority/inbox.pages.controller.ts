import { Body, Controller, Get, Param, Post, Query, Render, Res } from '@nestjs/common';
import { IsIn, IsOptional } from 'class-validator';
import { Request, Response } from 'express';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { IdParam } from '../common/id-param';
import { FormError, formErrorOf, FormSpec, given, inPageOrder, text, validateAs } from '../web/forms';
import { InboxError, InboxRuleError } from './inbox-errors';
import { OneUsePageFormDto } from '../common/page-form.dto';
import { CurrentRequest, pageSubmission } from '../dsp/submissions/idempotency';
import { PageQueryDto } from '../common/page-query.dto';
import { INBOX_FILTERS, InboxFilter, OutcomeFormInput, toInboxPage, toReferralPage } from './inbox-pages.mapper';
import { RecordOutcomeDto, RecordOutcomeFormDto } from './inbox.dto';
import { InboxService } from './inbox.service';
import { PageNumber } from '../common/paging';

export class InboxPageQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(INBOX_FILTERS)
  status?: InboxFilter;

  @PageNumber()
  page?: number;
}

export class ReferralPageQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(['acknowledged', 'decided'])
  done?: 'acknowledged' | 'decided';
}

/** The acknowledge button's form carries nothing but its CSRF token. */
export class AcknowledgeFormDto extends OneUsePageFormDto {}

/** Rules the service can report on these forms, and what the person reads for each. */
/** RecordOutcomeDto's fields on the outcome form. */
const OUTCOME_FORM: FormSpec = {
  common: {
    tooLong: 'referralPage.errors.tooLong',
    controlCharacters: 'referralPage.errors.controlCharacters',
    otherwise: 'referralPage.errors.outcomeNotForRoute',
  },
  fallbackField: 'outcome',
  fields: {
    outcome: {
      keys: { missing: 'referralPage.errors.outcomeMissing', otherwise: 'referralPage.errors.outcomeNotForRoute' },
    },
    note: { keys: { missing: 'referralPage.errors.noteMissing' } },
  },
};

/** A broken rule of answering a referral as the referral page shows it: on its field, saying what went wrong. */
function inboxRuleError(reason: InboxError): FormError {
  switch (reason) {
    case InboxError.AlreadyAcknowledged:
      return { field: 'status', key: 'referralPage.errors.alreadyAcknowledged' };
    case InboxError.AlreadyDecided:
      return { field: 'status', key: 'referralPage.errors.alreadyDecided' };
    case InboxError.OutcomeNotForRoute:
      return { field: 'outcome', key: 'referralPage.errors.outcomeNotForRoute' };
  }
}

/** The local-authority teams' pages: the inbox and one referral with its acknowledge and outcome forms. */
@Controller('la')
export class InboxPagesController {
  constructor(private readonly inbox: InboxService) {}

  @Get('inbox')
  @Render('la/inbox')
  async list(@CurrentActor() actor: Actor, @Query() query: InboxPageQueryDto) {
    const filter = query.status ?? 'all';
    const answer = await this.inbox.page(actor, {
      status: filter === 'all' ? undefined : filter,
      page: query.page,
    });
    return toInboxPage(answer, filter);
  }

  @Get('escalations/:id')
  @Render('la/referral')
  async show(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Query() query: ReferralPageQueryDto) {
    return toReferralPage(await this.inbox.get(actor, id), { done: query.done });
  }

  @Post('escalations/:id/acknowledge')
  async acknowledge(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() form: AcknowledgeFormDto,
    @CurrentRequest() request: Request,
    @Res() response: Response,
  ) {
    try {
      await this.inbox.acknowledge(actor, id, pageSubmission(request, form.submissionKey));
    } catch (error) {
      if (!(error instanceof InboxRuleError)) throw error;
      return this.renderReferral(response, actor, id, 422, {}, [inboxRuleError(error.reason)]);
    }
    return response.redirect(303, `/la/escalations/${encodeURIComponent(id)}?done=acknowledged`);
  }

  @Post('escalations/:id/outcome')
  async outcome(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() form: RecordOutcomeFormDto,
    @CurrentRequest() request: Request,
    @Res() response: Response,
  ) {
    const input: OutcomeFormInput = { outcome: text(form.outcome), note: text(form.note) };
    const { dto, problems } = await validateAs(RecordOutcomeDto, {
      outcome: given(input.outcome),
      note: given(input.note),
    });
    const errors = inPageOrder(
      problems.flatMap((problem) => formErrorOf(problem, OUTCOME_FORM) ?? []),
      ['outcome', 'note'],
    );
    if (errors.length > 0) return this.renderReferral(response, actor, id, 400, input, errors);
    try {
      await this.inbox.recordOutcome(actor, id, dto, pageSubmission(request, form.submissionKey));
    } catch (error) {
      if (!(error instanceof InboxRuleError)) throw error;
      return this.renderReferral(response, actor, id, 422, input, [inboxRuleError(error.reason)]);
    }
    return response.redirect(303, `/la/escalations/${encodeURIComponent(id)}?done=decided`);
  }

  /** The referral page again, with the problem and what the person entered. */
  private async renderReferral(
    response: Response,
    actor: Actor,
    id: string,
    status: number,
    form: OutcomeFormInput,
    errors: FormError[],
  ) {
    const referral = await this.inbox.get(actor, id);
    response.status(status).render('la/referral', toReferralPage(referral, { form, errors }));
  }
}
