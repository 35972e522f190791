import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { Response } from 'express';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { IdParam } from '../common/id-param';
import { PageFormDto } from '../common/page-form.dto';
import { PageQueryDto } from '../common/page-query.dto';
import { pagerFor } from '../common/pager';
import { FormError, FormText, text, wholeNumber } from '../web/forms';
import { RETENTION_REASON_MAX } from './dto';
import { RetentionError, RetentionRuleError } from './retention-errors';
import { DisposedCounts } from './retention.entities';
import { RetentionService, RetentionStatus } from './retention.service';

export const RETENTION_PAGE_SIZE = 25;

export class RetentionPageQueryDto extends PageQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(7)
  page?: string;
}

export class RetentionReasonFormDto extends PageFormDto {
  @FormText() reason?: string;
}

/** The approval's form: a box the second person ticks to say they know the disposal cannot be undone. */
export class RetentionApproveFormDto extends PageFormDto {
  @FormText() confirm?: string;
}

/** Which form on the pupil's retention page a posted reason or a refusal belongs to. */
type RetentionForm = 'hold' | 'lift' | 'propose' | 'decide';

const FIELD: Record<RetentionForm, string> = {
  hold: 'holdReason',
  lift: 'liftReason',
  propose: 'proposeReason',
  decide: 'decide',
};

const pageNumber = (value: string | undefined) => {
  const n = wholeNumber(value);
  return Number.isInteger(n) && n >= 1 ? n : 1;
};

/** The reason a form posted, or the error to show (required, at most RETENTION_REASON_MAX characters). */
function reasonOf(posted: RetentionReasonFormDto, form: RetentionForm): { reason: string; error: FormError | null } {
  const reason = text(posted.reason);
  if (reason.trim() === '') return { reason, error: { field: FIELD[form], key: 'retention.errors.reasonRequired' } };
  if (reason.length > RETENTION_REASON_MAX)
    return { reason, error: { field: FIELD[form], key: 'retention.errors.reasonTooLong', max: RETENTION_REASON_MAX } };
  return { reason, error: null };
}

/** A refusal (422) as the page's error summary says it, or null for any other error. */
function ruleError(error: unknown, form: RetentionForm): FormError | null {
  if (!(error instanceof RetentionRuleError)) return null;
  return { field: FIELD[form], key: `retention.rules.${error.reason satisfies RetentionError}` };
}

/** `/retention` (the review list) and `/pupils/:id/retention` (one pupil's holds and disposal). No JavaScript. */
@Controller()
export class RetentionPagesController {
  constructor(private readonly retention: RetentionService) {}

  @Get('retention')
  async listPage(@CurrentActor() actor: Actor, @Query() query: RetentionPageQueryDto, @Res() response: Response) {
    const listed = await this.retention.reviews(actor, { page: pageNumber(query.page), pageSize: RETENTION_PAGE_SIZE });
    response.render('retention/list', {
      title: 'retention.list.title',
      ...listed,
      pagination: pagerFor(listed, (n) => `/retention?page=${n}`),
    });
  }

  @Get('pupils/:id/retention')
  async pupilPage(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Res() response: Response) {
    this.render(response, 200, actor, await this.retention.status(actor, id), {}, []);
  }

  @Post('pupils/:id/legal-holds')
  placeHold(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() posted: RetentionReasonFormDto,
    @Res() response: Response,
  ) {
    return this.change(response, actor, id, 'hold', posted, (reason) =>
      this.retention.placeHold(actor, id, { reason }),
    );
  }

  @Post('pupils/:id/legal-holds/lift')
  liftHold(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() posted: RetentionReasonFormDto,
    @Res() response: Response,
  ) {
    return this.change(response, actor, id, 'lift', posted, (reason) => this.retention.liftHold(actor, id, { reason }));
  }

  @Post('pupils/:id/disposals')
  propose(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() posted: RetentionReasonFormDto,
    @Res() response: Response,
  ) {
    return this.change(response, actor, id, 'propose', posted, (reason) =>
      this.retention.propose(actor, id, { reason }),
    );
  }

  @Post('disposals/:id/approve')
  async approve(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() posted: RetentionApproveFormDto,
    @Res() response: Response,
  ) {
    const pupilId = await this.retention.proposalPupilId(actor, id);
    // One press removes the records for good: a tired reviewer must say so first (nothing is done otherwise).
    if (text(posted.confirm) !== 'yes')
      return this.render(response, 400, actor, await this.retention.status(actor, pupilId), {}, [
        { field: 'confirmDisposal', key: 'retention.errors.confirmRequired' },
      ]);
    return this.change(response, actor, pupilId, 'decide', null, () => this.retention.approve(actor, id));
  }

  @Post('disposals/:id/cancel')
  async cancel(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() _posted: PageFormDto,
    @Res() response: Response,
  ) {
    const pupilId = await this.retention.proposalPupilId(actor, id);
    return this.change(response, actor, pupilId, 'decide', null, () => this.retention.cancel(actor, id));
  }

  /** Runs one change; a missing reason comes back as 400 and a refusal as 422, on the pupil's page with its summary. */
  private async change(
    response: Response,
    actor: Actor,
    pupilId: string,
    form: RetentionForm,
    posted: RetentionReasonFormDto | null,
    run: (reason: string) => Promise<RetentionStatus>,
  ) {
    const { reason, error } = posted ? reasonOf(posted, form) : { reason: '', error: null };
    if (error)
      return this.render(response, 400, actor, await this.retention.status(actor, pupilId), { [form]: reason }, [
        error,
      ]);
    try {
      await run(reason);
    } catch (caught) {
      const problem = ruleError(caught, form);
      if (!problem) throw caught;
      return this.render(response, 422, actor, await this.retention.status(actor, pupilId), { [form]: reason }, [
        problem,
      ]);
    }
    response.redirect(303, `/pupils/${pupilId}/retention`);
  }

  private render(
    response: Response,
    status: number,
    actor: Actor,
    retention: RetentionStatus,
    reasons: Partial<Record<RetentionForm, string>>,
    errors: FormError[],
  ) {
    response.status(status).render('retention/pupil', {
      title: 'retention.pupil.title',
      retention,
      reasons,
      errors,
      proposedByMe: retention.pendingDisposal?.proposedBy.userId === actor.userId,
      counts: retention.disposal ? countRows(retention.disposal.counts) : [],
    });
  }
}

function countRows(counts: DisposedCounts): Array<{ key: string; count: number }> {
  // Only the kinds there were: ten lines of "…: 0" hide the ones that matter.
  return (Object.keys(counts) as Array<keyof DisposedCounts>)
    .filter((kind) => counts[kind] > 0)
    .map((kind) => ({ key: `retention.counts.${kind}`, count: counts[kind] }));
}
