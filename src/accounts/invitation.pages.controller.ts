import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { RequestWithLanguage } from '../i18n/language';
import { Language } from '../common/language';
import { Public } from '../auth/public.decorator';
import { NotFoundError } from '../common/domain-error';
import { PageFormDto } from '../common/page-form.dto';
import { PageQueryDto } from '../common/page-query.dto';
import { FormError, FormText, text } from '../web/forms';
import { formErrorsOf } from './account-pages.mapper';
import { InvitationsService } from './invitations.service';
import { TokenParam } from './users.controller';

export class SetPasswordFormDto extends PageFormDto {
  /** The email, in a hidden field, so a password manager saves the new password against it (ignored). */
  @FormText(1000) username?: string;
  @FormText(2000) password?: string;
  @FormText(2000) confirm?: string;
}

/**
 * `/invite/:token`, signed out: a welcome naming the organisation and the role, a password chosen and
 * confirmed, then on to sign in. An unknown, used, replaced or expired link is a 404 page that says what
 * to do next (sign in, or ask for a new invitation).
 */
@Controller('invite')
export class InvitationPagesController {
  constructor(private readonly invitations: InvitationsService) {}

  @Public()
  @Get(':token')
  async page(
    @Param() { token }: TokenParam,
    @Query() _query: PageQueryDto,
    @Req() request: RequestWithLanguage,
    @Res() response: Response,
  ) {
    await this.render(response, 200, token, [], request);
  }

  @Public()
  @Post(':token')
  async accept(
    @Param() { token }: TokenParam,
    @Body() form: SetPasswordFormDto,
    @Req() request: RequestWithLanguage,
    @Res() response: Response,
  ) {
    const password = text(form.password);
    const errors: FormError[] = [];
    if (password === '') errors.push({ field: 'password', key: 'accounts.errors.passwordMissing' });
    else if (password !== text(form.confirm)) errors.push({ field: 'confirm', key: 'accounts.invitation.mismatch' });
    if (errors.length) return this.render(response, 400, token, errors, request);
    let accepted: { language: Language };
    try {
      accepted = await this.invitations.accept(token, password);
    } catch (error) {
      if (error instanceof NotFoundError) return this.unusable(response);
      const problem = formErrorsOf(error);
      if (!problem) throw error;
      return this.render(response, problem.status, token, problem.errors, request);
    }
    speakTheirLanguage(request, response, accepted.language);
    response.status(200).render('accounts/invitation-done', { title: 'accounts.invitation.doneTitle' });
  }

  /** Still a 404, but one that says what to do: a person holding an old or used link needs a way on. */
  private unusable(response: Response): void {
    response.status(404).render('accounts/invitation-unusable', { title: 'accounts.invitationUnusable.title' });
  }

  private async render(
    response: Response,
    status: number,
    token: string,
    errors: FormError[],
    request: RequestWithLanguage,
  ) {
    let invitation: Awaited<ReturnType<InvitationsService['describe']>>;
    try {
      invitation = await this.invitations.describe(token);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      return this.unusable(response);
    }
    // Nothing chosen in this browser yet: the language the person was invited in (as for a signed-in person).
    const choice = request.languageChoice;
    if (choice && (choice.source === 'header' || choice.source === 'default'))
      response.locals.lang = invitation.language;
    response.status(status).render('accounts/invitation', {
      title: 'accounts.invitation.title',
      invitation,
      action: `/invite/${token}`,
      errors,
    });
  }
}

/** Nothing chosen in this browser yet: the language the person was invited in (as for a signed-in person). */
function speakTheirLanguage(request: RequestWithLanguage, response: Response, language: Language): void {
  const choice = request.languageChoice;
  if (choice && (choice.source === 'header' || choice.source === 'default')) response.locals.lang = language;
}
