import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { Response } from 'express';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { ForbiddenError } from '../common/domain-error';
import { IdParam } from '../common/id-param';
import { pagerFor } from '../common/pager';
import { PAGE_SIZE } from '../common/paging';
import { PupilLookupQueryDto } from '../school/roll/dto/roll-import.dto';
import { PupilLookupResponse, PupilsService } from '../school/pupils.service';
import { FormError, given, text, validateAs, wholeNumber } from '../web/forms';
import { CreatePlacementDto, EndPlacementDto, ReviewPlacementDto } from './dto/placement.dto';
import {
  EndFormDto,
  FindPupilFormDto,
  NewPlacementFormDto,
  PlacementPageQueryDto,
  PlacementsPageQueryDto,
  ReviewFormDto,
} from './dto/placement-forms.dto';
import { PLACEMENT_OUTCOMES, PLACEMENT_REASONS, PLACEMENT_TYPES } from './placement.entity';
import { PlacementDetail } from './placement.mapper';
import { formErrorOfRule, formErrorsOfProblems } from './placement-pages.mapper';
import { PlacementsService } from './placements.service';

type NewForm = Record<
  'upn' | 'dateOfBirth' | 'homeOrganisationId' | 'type' | 'reason' | 'reasonDetail' | 'startOn' | 'reviewOn',
  string
>;

const choices = (values: readonly string[], chosen: string | undefined) =>
  values.map((value) => ({ value, checked: value === chosen }));

/** The field order of each form, so the error summary reads top to bottom. */
/** A UPN as people type it, copied from a letter: spaces and lower case do not matter. */
const typedUpn = (value: unknown): string => text(value).replace(/\s+/g, '').toUpperCase();

const NEW_ORDER = ['upn', 'dateOfBirth', 'homeOrganisationId', 'type', 'reason', 'reasonDetail', 'startOn', 'reviewOn'];
const ordered = (errors: FormError[], order: string[]) =>
  [...errors].sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));

/**
 * `/placements` (active or ended, paged), `/placements/new` (find the child by UPN and date of birth,
 * then the placement) and `/placements/:id` (details, reviews, add a review, end). Thin: every decision
 * is PlacementsService's (and the access policy's through it).
 */
@Controller('placements')
export class PlacementsPagesController {
  constructor(
    private readonly placements: PlacementsService,
    private readonly pupils: PupilsService,
  ) {}

  @Get()
  async listPage(@CurrentActor() actor: Actor, @Query() query: PlacementsPageQueryDto, @Res() response: Response) {
    if (!this.placements.mayRead(actor)) throw new ForbiddenError();
    const status = query.status ?? 'active';
    const requested = wholeNumber(query.page);
    const page = Number.isInteger(requested) && requested >= 1 && requested <= 100_000 ? requested : 1;
    const listed = await this.placements.list(actor, { status, page, pageSize: PAGE_SIZE.default });
    response.render('pru/placements', {
      title: 'placements.list.title',
      status,
      listed,
      isPru: actor.organisationKind === 'pru',
      mayStart: this.placements.mayStart(actor),
      pager: pagerFor(listed, (n) => `/placements?status=${status}&page=${n}`),
    });
  }

  @Get('new')
  newPage(@CurrentActor() actor: Actor, @Res() response: Response) {
    this.placements.assertMayStart(actor);
    response.render('pru/placement-new', { title: 'placements.new.title', form: {}, step: 'find' });
  }

  /** Step one: the child by exact UPN and date of birth; found, the placement's own fields follow. */
  @Post('new/find')
  async find(@CurrentActor() actor: Actor, @Body() body: FindPupilFormDto, @Res() response: Response) {
    this.placements.assertMayStart(actor);
    const form = { upn: typedUpn(body.upn), dateOfBirth: text(body.dateOfBirth) } as NewForm;
    const found = await this.lookUp(actor, form);
    if ('errors' in found) return this.renderNew(response, found.status, actor, form, null, found.errors);
    return this.renderNew(response, 200, actor, form, found.pupil, []);
  }

  @Post('new')
  async create(@CurrentActor() actor: Actor, @Body() body: NewPlacementFormDto, @Res() response: Response) {
    this.placements.assertMayStart(actor);
    const form: NewForm = {
      upn: typedUpn(body.upn),
      dateOfBirth: text(body.dateOfBirth),
      homeOrganisationId: text(body.homeOrganisationId),
      type: text(body.type),
      reason: text(body.reason),
      reasonDetail: text(body.reasonDetail),
      startOn: text(body.startOn),
      reviewOn: text(body.reviewOn),
    };
    const found = await this.lookUp(actor, form);
    if ('errors' in found) return this.renderNew(response, found.status, actor, form, null, found.errors);
    const plain = {
      pupilId: found.pupil.id,
      pruId: actor.organisationId,
      homeOrganisationId: given(form.homeOrganisationId),
      type: given(form.type),
      reason: given(form.reason),
      reasonDetail: given(form.reasonDetail),
      startOn: given(form.startOn),
      reviewOn: given(form.reviewOn),
    };
    const { dto, problems } = await validateAs(CreatePlacementDto, plain);
    if (problems.length) return this.renderNew(response, 400, actor, form, found.pupil, formErrorsOfProblems(problems));
    let placement: PlacementDetail;
    try {
      placement = await this.placements.start(actor, dto);
    } catch (error) {
      const refused = formErrorOfRule(error);
      if (!refused) throw error;
      return this.renderNew(response, refused.status, actor, form, found.pupil, refused.errors);
    }
    response.redirect(303, `/placements/${placement.id}?done=started`);
  }

  @Get(':id')
  async detailPage(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Query() query: PlacementPageQueryDto,
    @Res() response: Response,
  ) {
    await this.renderDetail(response, 200, actor, id, { done: query.done });
  }

  @Post(':id/reviews')
  async review(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() body: ReviewFormDto,
    @Res() response: Response,
  ) {
    const review = { note: text(body.note), nextReviewOn: text(body.nextReviewOn) };
    const { dto, problems } = await validateAs(ReviewPlacementDto, {
      note: given(review.note),
      nextReviewOn: given(review.nextReviewOn),
    });
    if (problems.length)
      return this.renderDetail(response, 400, actor, id, { review, errors: formErrorsOfProblems(problems, 'note') });
    try {
      await this.placements.review(actor, id, dto);
    } catch (error) {
      const refused = formErrorOfRule(error);
      if (!refused || refused.status === 404) throw error;
      return this.renderDetail(response, refused.status, actor, id, { review, errors: refused.errors });
    }
    response.redirect(303, `/placements/${id}?done=reviewed`);
  }

  @Post(':id/end')
  async end(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() body: EndFormDto,
    @Res() response: Response,
  ) {
    const ending = { endOn: text(body.endOn), outcome: text(body.outcome), note: text(body.note) };
    const { dto, problems } = await validateAs(EndPlacementDto, {
      endOn: given(ending.endOn),
      outcome: given(ending.outcome),
      note: given(ending.note),
    });
    if (problems.length)
      return this.renderDetail(response, 400, actor, id, { ending, errors: formErrorsOfProblems(problems, 'endNote') });
    try {
      await this.placements.end(actor, id, dto);
    } catch (error) {
      const refused = formErrorOfRule(error);
      if (!refused || refused.status === 404) throw error;
      return this.renderDetail(response, refused.status, actor, id, { ending, errors: refused.errors });
    }
    response.redirect(303, `/placements/${id}?done=ended`);
  }

  /** The child for the form by exact UPN and date of birth, or the form's errors. */
  private async lookUp(
    actor: Actor,
    form: NewForm,
  ): Promise<{ pupil: PupilLookupResponse } | { status: number; errors: FormError[] }> {
    const { problems } = await validateAs(PupilLookupQueryDto, {
      upn: given(form.upn),
      dateOfBirth: given(form.dateOfBirth),
    });
    if (problems.length) return { status: 400, errors: formErrorsOfProblems(problems) };
    try {
      return { pupil: await this.pupils.lookUp(actor, form.upn, form.dateOfBirth) };
    } catch (error) {
      const refused = formErrorOfRule(error);
      if (!refused) throw error;
      return refused;
    }
  }

  private renderNew(
    response: Response,
    status: number,
    actor: Actor,
    form: NewForm,
    pupil: PupilLookupResponse | null,
    errors: FormError[],
  ) {
    // The home school is one of the schools the child is on the roll of now (the service checks it is a school).
    const homes = (pupil?.organisations ?? []).filter((organisation) => organisation.id !== actor.organisationId);
    response.status(status).render('pru/placement-new', {
      title: 'placements.new.title',
      step: pupil ? 'details' : 'find',
      form,
      pupil,
      homes: homes.map((home) => ({ ...home, checked: home.id === form.homeOrganisationId || homes.length === 1 })),
      types: choices(PLACEMENT_TYPES, form.type),
      reasons: choices(PLACEMENT_REASONS, form.reason),
      errors: ordered(errors, NEW_ORDER),
    });
  }

  private async renderDetail(
    response: Response,
    status: number,
    actor: Actor,
    id: string,
    state: {
      done?: string;
      review?: { note: string; nextReviewOn: string };
      ending?: { endOn: string; outcome: string; note: string };
      errors?: FormError[];
    },
  ) {
    const placement = await this.placements.get(actor, id);
    const ending = state.ending ?? { endOn: '', outcome: '', note: '' };
    response.status(status).render('pru/placement', {
      title: 'placements.detail.title',
      placement,
      isActive: placement.status === 'active',
      mayRun: this.placements.mayRun(actor, placement),
      reviews: [...placement.reviews].reverse(),
      review: state.review ?? { note: '', nextReviewOn: '' },
      ending,
      outcomes: choices(PLACEMENT_OUTCOMES, ending.outcome),
      done: state.done,
      errors: state.errors ?? [],
    });
  }
}
