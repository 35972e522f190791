import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Request, Response } from 'express';
import { Observable } from 'rxjs';
import { AccessPolicy } from '../access/access-policy';
import { Actor } from '../common/actor';
import { RequestWithLanguage } from '../i18n/language';
import { OrganisationsService } from '../organisations/organisations.service';
import { isSettingKind } from '../organisations/roles';

export interface NavItem {
  href: string;
  key: string;
  current: boolean;
}

/**
 * Gives every page what the layout needs (who is signed in, where, in which language, the menu).
 * Also makes a signed-in person's language switch stick to their account.
 */
@Injectable()
export class PageLocalsInterceptor implements NestInterceptor {
  constructor(
    private readonly accessPolicy: AccessPolicy,
    private readonly organisations: OrganisationsService,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<Request & RequestWithLanguage & { user?: Actor }>();
    const response = context.switchToHttp().getResponse<Response>();
    const actor = request.user;
    if (actor && !request.path.startsWith('/api/')) {
      const choice = request.languageChoice;
      // Saved to the account only when the switch was followed from this site (a link elsewhere cannot change it).
      if (choice?.source === 'query' && choice.language !== actor.language && isSameSiteNavigation(request)) {
        await this.organisations.setLanguage(actor, choice.language);
      } else if (choice && (choice.source === 'header' || choice.source === 'default')) {
        response.locals.lang = actor.language;
      }
      // What the services answer in words (chronology titles, guidance) comes in the page's language.
      if (choice && (choice.source === 'query' || choice.source === 'cookie')) actor.language = choice.language;
      response.locals.actor = {
        name: actor.name,
        role: actor.role,
        organisationName: actor.organisationName,
        organisationKind: actor.organisationKind,
      };
      response.locals.nav = this.navigationFor(actor, request.path);
    }
    return next.handle();
  }

  private navigationFor(actor: Actor, path: string): NavItem[] {
    const items = [{ href: '/', key: 'nav.home' }];
    if (this.accessPolicy.may(actor, 'pupil.read') && isSettingKind(actor.organisationKind))
      items.push({ href: '/pupils', key: 'nav.pupils' });
    if (this.accessPolicy.may(actor, 'report.read'))
      items.push({ href: '/reports/referral-balance', key: 'nav.reports' });
    if (this.accessPolicy.may(actor, 'escalation.receive')) items.push({ href: '/la/inbox', key: 'nav.inbox' });
    if (this.accessPolicy.may(actor, 'directory.manage')) items.push({ href: '/la/services', key: 'nav.services' });
    if (this.accessPolicy.may(actor, 'audit.read')) items.push({ href: '/audit', key: 'nav.audit' });
    return items.map((item) => ({ ...item, current: item.href === '/' ? path === '/' : path.startsWith(item.href) }));
  }
}

/** Browsers say where a request came from (Sec-Fetch-Site); without the header (older clients, tests), trust it. */
function isSameSiteNavigation(request: Request): boolean {
  const site = request.header('sec-fetch-site');
  return site === undefined || site === 'same-origin' || site === 'none';
}
