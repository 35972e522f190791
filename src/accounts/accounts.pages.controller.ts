import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Response } from 'express';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { ForbiddenError, NotFoundError } from '../common/domain-error';
import { IdParam } from '../common/id-param';
import { PageFormDto } from '../common/page-form.dto';
import { PageQueryDto } from '../common/page-query.dto';
import { pagerFor } from '../common/pager';
import { PAGE_SIZE } from '../common/paging';
import { FormChoice, FormError, FormText, given, text, validateAs, wholeNumber } from '../web/forms';
import { managesAccounts } from './account-management';
import {
  ACCOUNT_PAGE_DONE,
  AccountPageDone,
  accountPageView,
  formErrorsOf,
  formErrorsOfProblems,
  placeChoices,
} from './account-pages.mapper';
import { AccountsService } from './accounts.service';
import { CreateOrganisationDto, UpdateOrganisationDto } from './dto/organisation.dto';
import { InviteUserDto, MembershipDto } from './dto/user.dto';
import { OrganisationsAdminService } from './organisations-admin.service';

export class AccountsPageQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(ACCOUNT_PAGE_DONE)
  done?: AccountPageDone;

  /** `1` when the change committed but its email could not be sent. */
  @IsOptional()
  @IsIn(['1'])
  emailFailed?: string;

  @IsOptional()
  @IsString()
  @MaxLength(7)
  page?: string;
}

export class UsersPageQueryDto extends AccountsPageQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @IsOptional()
  @IsUUID('all')
  organisationId?: string;
}

export class OrganisationFormDto extends PageFormDto {
  @FormChoice() kind?: string;
  @FormText(1000) name?: string;
  @FormText(1000) nameCy?: string;
  @FormChoice() code?: string;
}

/**
 * Ending a role or deactivating signs the person out at once: the first post shows what will happen and
 * asks again; only `confirm=yes` does it (a tired click on the wrong row costs nothing).
 */
export class ConfirmFormDto extends PageFormDto {
  @IsOptional()
  @IsIn(['yes'])
  confirm?: 'yes';
}

/** Deactivate or reactivate: only these two answers (anything else is a 400, never a deactivation). */
export class ActiveFormDto extends ConfirmFormDto {
  @IsIn(['true', 'false'])
  active: 'true' | 'false';
}

export class InviteFormDto extends PageFormDto {
  @FormText(1000) email?: string;
  @FormText(1000) name?: string;
  @FormChoice() organisationId?: string;
  @FormChoice() role?: string;
  @FormChoice() language?: string;
}

export class MembershipFormDto extends PageFormDto {
  @FormChoice() organisationId?: string;
  @FormChoice() role?: string;
}

/** `/admin/users/:id/memberships/:membershipId/end`. */
export class MembershipParams extends IdParam {
  @IsUUID('all', { message: 'membershipId must be a UUID' })
  membershipId: string;
}

const pageNumber = (value: string | undefined) => {
  const n = wholeNumber(value);
  return Number.isInteger(n) && n >= 1 ? n : 1;
};

/**
 * `/admin/organisations` (the admin) and `/admin/users` (the admin, head teachers and the LA lead, each
 * seeing only the accounts they manage). Forms post back to the same pages; every change redirects with
 * `?done=` (and `emailFailed=1` when the change committed but its email did not go).
 */
@Controller('admin')
export class AccountsPagesController {
  constructor(
    private readonly organisations: OrganisationsAdminService,
    private readonly accounts: AccountsService,
  ) {}

  // Organisations -------------------------------------------------------------------------------

  @Get('organisations')
  async organisationsPage(
    @CurrentActor() actor: Actor,
    @Query() query: AccountsPageQueryDto,
    @Res() response: Response,
  ) {
    await this.renderOrganisations(response, 200, actor, query);
  }

  @Post('organisations')
  async addOrganisation(@CurrentActor() actor: Actor, @Body() form: OrganisationFormDto, @Res() response: Response) {
    assertAdmin(actor);
    const input = { kind: text(form.kind), name: text(form.name), nameCy: text(form.nameCy), code: text(form.code) };
    const plain = {
      kind: given(input.kind),
      name: given(input.name),
      nameCy: given(input.nameCy),
      code: given(input.code),
    };
    const { problems } = await validateAs(CreateOrganisationDto, plain);
    if (problems.length)
      return this.renderOrganisations(
        response,
        400,
        actor,
        {},
        { form: input, errors: formErrorsOfProblems(problems) },
      );
    try {
      await this.organisations.create(actor, plain as CreateOrganisationDto);
    } catch (error) {
      const problem = formErrorsOf(error);
      if (!problem) throw error;
      return this.renderOrganisations(response, problem.status, actor, {}, { form: input, errors: problem.errors });
    }
    response.redirect(303, '/admin/organisations?done=added');
  }

  @Get('organisations/:id')
  async organisationPage(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Query() query: AccountsPageQueryDto,
    @Res() response: Response,
  ) {
    const organisation = await this.organisations.get(actor, id);
    response.render('accounts/organisation', {
      title: 'accounts.organisation.title',
      organisation,
      form: { name: organisation.name, nameCy: organisation.nameCy ?? '' },
      done: query.done,
    });
  }

  @Post('organisations/:id')
  async renameOrganisation(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() form: OrganisationFormDto,
    @Res() response: Response,
  ) {
    const input = { name: text(form.name), nameCy: text(form.nameCy) };
    // An empty Welsh name removes it.
    const plain = { name: given(input.name), nameCy: input.nameCy };
    const { problems } = await validateAs(UpdateOrganisationDto, plain);
    const errors = problems.length ? formErrorsOfProblems(problems) : [];
    if (!plain.name) errors.unshift({ field: 'name', key: 'accounts.errors.nameMissing' });
    if (errors.length) return this.renderOrganisation(response, 400, actor, id, input, errors);
    await this.organisations.update(actor, id, plain);
    response.redirect(303, `/admin/organisations/${id}?done=renamed`);
  }

  @Post('organisations/:id/active')
  async setOrganisationActive(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() form: ActiveFormDto,
    @Res() response: Response,
  ) {
    const active = form.active === 'true';
    try {
      await this.organisations.update(actor, id, { active });
    } catch (error) {
      const problem = formErrorsOf(error);
      if (!problem) throw error;
      return this.renderOrganisation(response, problem.status, actor, id, undefined, problem.errors);
    }
    response.redirect(303, `/admin/organisations/${id}?done=${active ? 'reactivated' : 'deactivated'}`);
  }

  // Accounts ------------------------------------------------------------------------------------

  @Get('users')
  async usersPage(@CurrentActor() actor: Actor, @Query() query: UsersPageQueryDto, @Res() response: Response) {
    assertManager(actor);
    const page = pageNumber(query.page);
    const q = query.q ?? '';
    const answer = await this.accounts.list(actor, {
      q: given(q),
      organisationId: query.organisationId,
      page,
      pageSize: PAGE_SIZE.default,
    });
    const organisations = await this.organisations.choicesFor(actor);
    const byId = new Map(organisations.map((o) => [o.id, o]));
    const hrefOf = (n: number) => {
      const params = new URLSearchParams();
      if (q) params.set('q', q);
      if (query.organisationId) params.set('organisationId', query.organisationId);
      params.set('page', String(n));
      return `/admin/users?${params.toString()}`;
    };
    response.render('accounts/users', {
      title: actor.role === 'head_teacher' ? 'accounts.nav.staffAccounts' : 'accounts.users.title',
      q,
      organisationOptions: organisations.map((o) => ({ ...o, selected: o.id === query.organisationId })),
      showOrganisationFilter: organisations.length > 1,
      items: answer.items.map((account) => accountPageView(account, byId)),
      total: answer.total,
      pagination: pagerFor(answer, hrefOf),
      done: query.done,
    });
  }

  @Get('users/new')
  async newUserPage(@CurrentActor() actor: Actor, @Query() _query: PageQueryDto, @Res() response: Response) {
    assertManager(actor);
    await this.renderInvite(response, 200, actor, { language: 'en' });
  }

  @Post('users/new')
  async invite(@CurrentActor() actor: Actor, @Body() form: InviteFormDto, @Res() response: Response) {
    assertManager(actor);
    const input = {
      email: text(form.email),
      name: text(form.name),
      organisationId: text(form.organisationId),
      role: text(form.role),
      language: text(form.language) || 'en',
    };
    const plain = {
      email: given(input.email),
      name: given(input.name),
      organisationId: given(input.organisationId),
      role: given(input.role),
      language: input.language,
    };
    const { problems } = await validateAs(InviteUserDto, plain);
    if (problems.length) return this.renderInvite(response, 400, actor, input, formErrorsOfProblems(problems));
    let result;
    try {
      result = await this.accounts.invite(actor, plain as InviteUserDto);
    } catch (error) {
      const problem = formErrorsOf(error);
      if (!problem) throw error;
      return this.renderInvite(response, problem.status, actor, input, problem.errors);
    }
    response.redirect(303, `/admin/users/${result.account.id}?done=invited${result.emailSent ? '' : '&emailFailed=1'}`);
  }

  @Get('users/:id')
  async userPage(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Query() query: AccountsPageQueryDto,
    @Res() response: Response,
  ) {
    await this.renderUser(response, 200, actor, id, { done: query.done, emailFailed: query.emailFailed === '1' });
  }

  @Post('users/:id/memberships')
  async addMembership(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() form: MembershipFormDto,
    @Res() response: Response,
  ) {
    const input = { organisationId: text(form.organisationId), role: text(form.role) };
    const plain = { organisationId: given(input.organisationId), role: given(input.role) };
    const { problems } = await validateAs(MembershipDto, plain);
    if (problems.length)
      return this.renderUser(response, 400, actor, id, { form: input, errors: formErrorsOfProblems(problems) });
    let emailSent: boolean;
    try {
      ({ emailSent } = await this.accounts.addMembership(actor, id, plain as MembershipDto));
    } catch (error) {
      const problem = formErrorsOf(error);
      if (!problem) throw error;
      return this.renderUser(response, problem.status, actor, id, { form: input, errors: problem.errors });
    }
    response.redirect(303, `/admin/users/${id}?done=membershipAdded${emailSent ? '' : '&emailFailed=1'}`);
  }

  @Post('users/:id/memberships/:membershipId/end')
  async endMembership(
    @CurrentActor() actor: Actor,
    @Param() params: MembershipParams,
    @Body() form: ConfirmFormDto,
    @Res() response: Response,
  ) {
    if (form.confirm !== 'yes')
      return this.renderConfirm(response, actor, params.id, {
        action: `/admin/users/${params.id}/memberships/${params.membershipId}/end`,
        membershipId: params.membershipId,
      });
    return this.act(response, actor, params.id, 'membershipEnded', () =>
      this.accounts.endMembership(actor, params.membershipId),
    );
  }

  @Post('users/:id/active')
  async setActive(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() form: ActiveFormDto,
    @Res() response: Response,
  ) {
    const active = form.active === 'true';
    if (!active && form.confirm !== 'yes')
      return this.renderConfirm(response, actor, id, { action: `/admin/users/${id}/active` });
    return this.act(response, actor, id, active ? 'reactivated' : 'deactivated', () =>
      active ? this.accounts.reactivate(actor, id) : this.accounts.deactivate(actor, id),
    );
  }

  @Post('users/:id/invitation')
  async resend(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() _form: PageFormDto,
    @Res() response: Response,
  ) {
    let emailSent = true;
    return this.act(
      response,
      actor,
      id,
      'invitationResent',
      async () => {
        ({ emailSent } = await this.accounts.resendInvitation(actor, id));
      },
      () => emailSent,
    );
  }

  // ---------------------------------------------------------------------------------------------

  private async act(
    response: Response,
    actor: Actor,
    id: string,
    done: AccountPageDone,
    work: () => Promise<void>,
    emailSent: () => boolean = () => true,
  ) {
    try {
      await work();
    } catch (error) {
      const problem = formErrorsOf(error);
      if (!problem) throw error;
      return this.renderUser(response, problem.status, actor, id, { errors: problem.errors });
    }
    response.redirect(303, `/admin/users/${id}?done=${done}${emailSent() ? '' : '&emailFailed=1'}`);
  }

  private async renderOrganisations(
    response: Response,
    status: number,
    actor: Actor,
    query: AccountsPageQueryDto,
    extra: { form?: Record<string, string>; errors?: FormError[] } = {},
  ) {
    assertAdmin(actor);
    const page = pageNumber(query.page);
    const answer = await this.organisations.list(actor, { page, pageSize: PAGE_SIZE.default });
    const form = extra.form ?? { kind: 'school', name: '', nameCy: '', code: '' };
    response.status(status).render('accounts/organisations', {
      title: 'accounts.organisations.title',
      items: answer.items,
      total: answer.total,
      pagination: pagerFor(answer, (n) => `/admin/organisations?page=${n}`),
      form,
      kindSchool: form.kind !== 'pru',
      errors: extra.errors,
      done: query.done,
    });
  }

  private async renderOrganisation(
    response: Response,
    status: number,
    actor: Actor,
    id: string,
    form: { name: string; nameCy: string } | undefined,
    errors: FormError[],
  ) {
    const organisation = await this.organisations.get(actor, id);
    response.status(status).render('accounts/organisation', {
      title: 'accounts.organisation.title',
      organisation,
      form: form ?? { name: organisation.name, nameCy: organisation.nameCy ?? '' },
      errors,
    });
  }

  private async renderInvite(
    response: Response,
    status: number,
    actor: Actor,
    form: Record<string, string>,
    errors: FormError[] = [],
  ) {
    const choices = placeChoices(actor, await this.organisations.choicesFor(actor), form);
    response.status(status).render('accounts/user-new', {
      title: 'accounts.invite.title',
      form,
      ...choices,
      languageOptions: ['en', 'cy'].map((value) => ({ value, selected: value === (form.language || 'en') })),
      errors,
    });
  }

  /** "Are you sure?" before ending a role (`membershipId`) or deactivating (none): 200, nothing changed yet. */
  private async renderConfirm(
    response: Response,
    actor: Actor,
    id: string,
    confirm: { action: string; membershipId?: string },
  ) {
    const { account } = await this.accountView(actor, id);
    const membership = confirm.membershipId
      ? account.memberships.find((m) => m.id === confirm.membershipId && m.current)
      : undefined;
    // A role that is not this person's, or has ended already: the same 404 as any record not theirs.
    if (confirm.membershipId && !membership) throw new NotFoundError('Membership');
    response.status(200).render('accounts/confirm', {
      title: membership ? 'accounts.confirm.endTitle' : 'accounts.confirm.deactivateTitle',
      account,
      membership,
      action: confirm.action,
    });
  }

  private async accountView(actor: Actor, id: string) {
    const account = await this.accounts.get(actor, id);
    const all = new Map(
      (
        await this.organisations.list(actor.role === 'head_teacher' ? actor : { ...actor, role: 'la_lead' }, {
          pageSize: 10_000,
        })
      ).items.map((o) => [o.id, o]),
    );
    return { raw: account, account: accountPageView(account, all) };
  }

  private async renderUser(
    response: Response,
    status: number,
    actor: Actor,
    id: string,
    extra: { done?: AccountPageDone; emailFailed?: boolean; form?: Record<string, string>; errors?: FormError[] },
  ) {
    const { raw: account, account: view } = await this.accountView(actor, id);
    const organisations = await this.organisations.choicesFor(actor);
    response.status(status).render('accounts/user', {
      title: 'accounts.user.title',
      account: view,
      isSelf: account.id === actor.userId,
      ...placeChoices(actor, organisations, extra.form),
      done: extra.done,
      emailFailed: extra.emailFailed,
      errors: extra.errors,
    });
  }
}

function assertAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw new ForbiddenError('Only the administrator manages organisations');
}

function assertManager(actor: Actor): void {
  if (!managesAccounts(actor)) throw new ForbiddenError('Your role does not manage accounts');
}
