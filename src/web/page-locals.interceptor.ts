import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, Optional } from '@nestjs/common';
import { Request, Response } from 'express';
import { from, Observable, switchMap } from 'rxjs';
import { AccessPolicy } from '../access/access-policy';
import { Actor } from '../common/actor';
import { formPageOf, RequestWithLanguage } from '../i18n/language';
import { isSettingKind } from '../common/roles';
import { isLanguage, Language } from '../common/language';
import { organisationName } from '../organisations/organisation-name';
import { runPageCounts } from './page-counts';
import { PAGE_NOTICES, PageNotices } from './page-notices';
import { UNREAD_NOTIFICATIONS, UnreadNotifications } from './unread-notifications';

export interface NavItem {
  href: string;
  key: string;
  current: boolean;
}

/**
 * What the layout needs for a signed-in person (who, where, in which language, the menu). Used by the
 * interceptor below for every page, and by the error pages of requests no route saw (an unknown address).
 */
export function setPageLocals(
  request: Request & RequestWithLanguage,
  response: Response,
  actor: Actor,
  accessPolicy: AccessPolicy,
): void {
  const choice = request.languageChoice;
  // Nothing chosen in this browser: the account's saved language.
  if (choice && (choice.source === 'header' || choice.source === 'default')) response.locals.lang = actor.language;
  const language: Language = isLanguage(response.locals.lang) ? response.locals.lang : actor.language;
  response.locals.actor = {
    name: actor.name,
    role: actor.role,
    organisationName: organisationName(
      { name: actor.organisationName, nameCy: actor.organisationNameCy ?? null },
      language,
    ),
    organisationKind: actor.organisationKind,
  };
  response.locals.nav = navigationFor(accessPolicy, actor, request.path);
}

function navigationFor(accessPolicy: AccessPolicy, actor: Actor, path: string): NavItem[] {
  const items = [{ href: '/', key: 'nav.home' }];
  if (accessPolicy.may(actor, 'pupil.read') && isSettingKind(actor.organisationKind))
    items.push({ href: '/pupils', key: 'nav.pupils' });
  if (accessPolicy.mayReadPlacements(actor)) items.push({ href: '/placements', key: 'placements.nav' });
  if (accessPolicy.may(actor, 'transfer.read') && isSettingKind(actor.organisationKind))
    items.push({ href: '/transfers', key: 'transfers.nav' });
  if (accessPolicy.may(actor, 'report.read')) items.push({ href: '/reports/referral-balance', key: 'nav.reports' });
  if (accessPolicy.may(actor, 'escalation.receive')) items.push({ href: '/la/inbox', key: 'nav.inbox' });
  if (accessPolicy.may(actor, 'directory.manage')) items.push({ href: '/la/services', key: 'nav.services' });
  if (accessPolicy.may(actor, 'retention.review')) items.push({ href: '/retention', key: 'retention.nav' });
  if (accessPolicy.may(actor, 'audit.read')) items.push({ href: '/audit', key: 'nav.audit' });
  items.push({ href: '/account', key: 'nav.account' });
  if (accessPolicy.may(actor, 'organisation.manage'))
    items.push({ href: '/admin/organisations', key: 'accounts.nav.organisations' });
  if (accessPolicy.may(actor, 'account.manage'))
    items.push({
      href: '/admin/users',
      key: actor.role === 'head_teacher' ? 'accounts.nav.staffAccounts' : 'accounts.nav.accounts',
    });
  return items.map((item) => ({ ...item, current: item.href === '/' ? path === '/' : path.startsWith(item.href) }));
}

/**
 * Gives every page what the layout needs (who is signed in, where, in which language, the menu).
 * Reads only: a language choice is saved by the header's switch (POST /language), never by a GET.
 */
@Injectable()
export class PageLocalsInterceptor implements NestInterceptor {
  constructor(
    private readonly accessPolicy: AccessPolicy,
    @Optional() @Inject(PAGE_NOTICES) private readonly notices?: PageNotices,
    @Optional() @Inject(UNREAD_NOTIFICATIONS) private readonly notifications?: UnreadNotifications,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request & RequestWithLanguage & { user?: Actor }>();
    const response = context.switchToHttp().getResponse<Response>();
    const actor = request.user;
    // A page shown in answer to a POST (a form with errors): the switch goes back to the form's page.
    if (request.method !== 'GET' && request.method !== 'HEAD')
      response.locals.languageReturnTo = formPageOf(request.path, request.body);
    if (!actor || request.path.startsWith('/api/')) return next.handle();
    setPageLocals(request, response, actor, this.accessPolicy);
    if (!this.notices && !this.notifications) return next.handle();
    // What must not wait (a report sent by staff when no DSP could be reached) is on every page at once,
    // and the header counts the person's unread notifications: one indexed COUNT each, in one statement.
    return from(this.pageCounts(actor, response)).pipe(switchMap(() => next.handle()));
  }

  private async pageCounts(actor: Actor, response: Response): Promise<void> {
    const notices = this.notices?.noticesCount(actor) ?? null;
    const unread = this.notifications?.unreadCount(actor) ?? null;
    const counts = [notices, unread].filter((count) => count !== null);
    const [first, second] = await runPageCounts(counts);
    response.locals.notices = notices ? notices.answer(first) : [];
    if (unread) response.locals.unreadNotifications = unread.answer(notices ? second : first);
  }
}
