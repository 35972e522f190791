import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TEAM_ROUTE } from '../../access/permissions';
import { message } from '../../common/language';
import { Role } from '../../common/roles';
import { EMERGENCY_INDICATORS } from '../../guidance/guidance-engine';
import { NotificationsService } from '../../notifications/notifications.service';
import { OrganisationsService } from '../../organisations/organisations.service';
import { Escalation } from './escalation.entity';

/** The local-authority roles that receive a route's referrals (access/permissions.ts's TEAM_ROUTE, turned round). */
export function teamRolesFor(route: string): Role[] {
  return (Object.entries(TEAM_ROUTE) as Array<[Role, string]>)
    .filter(([, teamRoute]) => teamRoute === route)
    .map(([role]) => role);
}

/** An emergency, as the inbox marks one: level 0 when sent, or an emergency indicator on the concern. */
export function isEmergencyReferral(
  referral: Pick<Escalation, 'recommendedLevel'>,
  indicators: readonly string[],
): boolean {
  return (
    referral.recommendedLevel === 0 ||
    indicators.some((code) => (EMERGENCY_INDICATORS as readonly string[]).includes(code))
  );
}

/**
 * The referral notifications raised in their owners' transactions (API.md, "Daily work"):
 * `referral_received` to the receiving team's active members when a referral is sent (by a DSP, by a
 * member of staff who could not reach one, or by MASH redirecting to early help), and `referral_answered`
 * to the sending organisation's DSPs when the team acknowledges it or records its outcome. A route no
 * team here receives (police, the designated officer) tells nobody. Titles name the route and the
 * organisation, never the pupil or the concern's words; the links' pages check access themselves.
 */
@Injectable()
export class ReferralNotifications {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly organisations: OrganisationsService,
  ) {}

  async received(manager: EntityManager, referral: Escalation, urgent: boolean): Promise<void> {
    const roles = teamRolesFor(referral.route);
    if (roles.length === 0) return;
    await this.notifications.notify(manager, {
      kind: 'referral_received',
      eventKey: referral.id,
      userIds: await this.organisations.activeMemberIds(manager, [referral.localAuthorityId], roles),
      link: `/la/escalations/${referral.id}`,
      title: message('notifications.titles.referral_received', {
        route: message(`escalationRoutes.${referral.route}`),
        organisation: await this.nameOf(manager, referral.organisationId),
      }),
      urgent,
    });
  }

  /** The team acknowledged the referral (`outcome` null) or recorded its outcome. */
  async answered(manager: EntityManager, referral: Escalation, outcome: string | null): Promise<void> {
    await this.notifications.notify(manager, {
      kind: 'referral_answered',
      eventKey: `${referral.id}:${outcome === null ? 'acknowledged' : 'outcome'}`,
      userIds: await this.organisations.activeMemberIds(manager, [referral.organisationId], ['dsp']),
      link: `/concerns/${referral.concernId}`,
      title:
        outcome === null
          ? message('notifications.titles.referral_acknowledged', {
              route: message(`escalationRoutes.${referral.route}`),
            })
          : message('notifications.titles.referral_outcome', {
              route: message(`escalationRoutes.${referral.route}`),
              outcome: message(`laOutcomes.${outcome}`),
            }),
    });
  }

  private async nameOf(manager: EntityManager, organisationId: string) {
    const found = (await this.organisations.namesByIds(manager, [organisationId])).get(organisationId);
    return { name: found?.name ?? '', nameCy: found?.nameCy ?? null };
  }
}
