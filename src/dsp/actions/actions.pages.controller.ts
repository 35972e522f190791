import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { Response } from 'express';
import { CurrentActor } from '../../auth/current-actor.decorator';
import { Actor } from '../../common/actor';
import { IdParam } from '../../common/id-param';
import { pagerFor } from '../../common/pager';
import { FormError, text, validateAs, wholeNumber } from '../../web/forms';
import {
  ActionsPageQueryDto,
  actionRuleError,
  COMPLETE_ACTION_FORM_SPEC,
  CompleteActionFormDto,
  emptySetActionForm,
  formErrors,
  SET_ACTION_FORM_SPEC,
  SetActionForm,
  setActionBodyOf,
  setActionFormOf,
  SetActionFormDto,
} from './action-pages';
import { ActionsService } from './actions.service';
import { CompleteActionDto, SetActionDto } from './dto/action.dto';

export const ACTIONS_PAGE_SIZE = 25;

const pageNumber = (value: string | undefined) => {
  const n = wholeNumber(value);
  return Number.isInteger(n) && n >= 1 ? n : 1;
};

/**
 * `/actions` ("my actions"), `/concerns/:id/actions` (set one: the concern page carries the form; a
 * form with errors comes back on its own page) and `/actions/:id/complete`.
 */
@Controller()
export class ActionsPagesController {
  constructor(private readonly actions: ActionsService) {}

  @Get('actions')
  async listPage(@CurrentActor() actor: Actor, @Query() query: ActionsPageQueryDto, @Res() response: Response) {
    const listed = await this.actions.list(actor, {
      assignee: 'me',
      page: pageNumber(query.page),
      pageSize: ACTIONS_PAGE_SIZE,
    });
    response.render('actions/list', {
      title: 'actions.list.title',
      ...listed,
      done: query.done ?? null,
      pagination: pagerFor(listed, (n) => `/actions?page=${n}`),
    });
  }

  @Get('concerns/:id/actions/new')
  async setPage(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Res() response: Response) {
    await this.renderSet(response, 200, actor, id, emptySetActionForm(), []);
  }

  @Post('concerns/:id/actions')
  async set(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() posted: SetActionFormDto,
    @Res() response: Response,
  ) {
    this.actions.assertMaySet(actor);
    const form = setActionFormOf(posted);
    const { dto, problems } = await validateAs(SetActionDto, setActionBodyOf(form));
    if (problems.length)
      return this.renderSet(response, 400, actor, id, form, formErrors(problems, SET_ACTION_FORM_SPEC));
    try {
      await this.actions.set(actor, id, dto);
    } catch (error) {
      const problem = actionRuleError(error);
      if (!problem) throw error;
      return this.renderSet(response, 422, actor, id, form, [problem]);
    }
    response.redirect(303, `/concerns/${id}#actions`);
  }

  @Get('actions/:id/complete')
  async completePage(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Res() response: Response) {
    await this.renderComplete(response, 200, actor, id, '', 'actions', []);
  }

  @Post('actions/:id/complete')
  async complete(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() posted: CompleteActionFormDto,
    @Res() response: Response,
  ) {
    const note = text(posted.note);
    const returnTo = posted.returnTo ?? 'actions';
    const { dto, problems } = await validateAs(CompleteActionDto, { note: note === '' ? undefined : note });
    if (problems.length)
      return this.renderComplete(
        response,
        400,
        actor,
        id,
        note,
        returnTo,
        formErrors(problems, COMPLETE_ACTION_FORM_SPEC, ['note']),
      );
    let concernId: string;
    try {
      concernId = (await this.actions.complete(actor, id, dto)).concernId;
    } catch (error) {
      const problem = actionRuleError(error);
      if (!problem) throw error;
      return this.renderComplete(response, 422, actor, id, note, returnTo, [problem]);
    }
    response.redirect(303, returnTo === 'concern' ? `/concerns/${concernId}#actions` : '/actions?done=completed');
  }

  private async renderSet(
    response: Response,
    status: number,
    actor: Actor,
    concernId: string,
    form: SetActionForm,
    errors: FormError[],
  ) {
    const concern = await this.actions.assertMaySetOn(actor, concernId);
    const assignees = (await this.actions.assigneeChoices(actor, concern.organisationId)).map((choice) => ({
      ...choice,
      selected: choice.userId === form.actionAssignee,
    }));
    response.status(status).render('actions/set', {
      title: 'actions.set.title',
      concernId,
      form,
      errors,
      assignees,
    });
  }

  private async renderComplete(
    response: Response,
    status: number,
    actor: Actor,
    actionId: string,
    note: string,
    returnTo: string,
    errors: FormError[],
  ) {
    const action = await this.actions.get(actor, actionId);
    response.status(status).render('actions/complete', {
      title: 'actions.complete.title',
      action,
      note,
      returnTo,
      errors,
    });
  }
}
