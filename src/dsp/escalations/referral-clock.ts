import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { WorkingDayCalendar } from '../../calendar/working-days';
import { EscalationRoute } from '../../guidance/codes';
import { DirectoryService } from '../../guidance/directory/directory.service';

/** DOMAIN.md, Timescales: social services (MASH, the designated officer) decide within one working day. */
export const STATUTORY_RESPONSE_WORKING_DAYS = 1;

export interface ReferralClockInput {
  route: EscalationRoute;
  sentAt: Date;
  /** When the DSP phoned the team first (`referral.phonedAt`), if they did. */
  phonedAt?: string | null;
  /** The local authority's early-help response time, in working days. */
  earlyHelpResponseDays: number;
}

/**
 * When the receiving team's answer is due (DOMAIN.md, Timescales), always the clock time the clock
 * started at, so it reads as people say it ("by 14:15 on Tuesday"):
 * - MASH and the designated officer: 1 working day, counted from the phone call when the DSP phoned
 *   first (a report by phone starts the statutory clock; the written referral confirms it);
 * - early help: no statutory clock, the local authority's own response time, from when it was sent;
 * - police: 1 working day from sending (no local-authority team answers it here).
 */
export function referralDueBy(calendar: WorkingDayCalendar, input: ReferralClockInput): Date {
  switch (input.route) {
    case 'early_help':
      return calendar.addWorkingDays(input.sentAt, input.earlyHelpResponseDays);
    case 'mash':
    case 'designated_officer':
      return calendar.addWorkingDays(clockStartOf(input.sentAt, input.phonedAt), STATUTORY_RESPONSE_WORKING_DAYS);
    default:
      return calendar.addWorkingDays(input.sentAt, STATUTORY_RESPONSE_WORKING_DAYS);
  }
}

/** The phone call when there was one before the written referral; otherwise the sending. */
function clockStartOf(sentAt: Date, phonedAt: string | null | undefined): Date {
  const phoned = typeof phonedAt === 'string' ? new Date(phonedAt) : null;
  return phoned && !Number.isNaN(phoned.getTime()) && phoned.getTime() < sentAt.getTime() ? phoned : sentAt;
}

/** `referralDueBy` with the local authority's own early-help setting, read in the caller's transaction. */
@Injectable()
export class ReferralClock {
  constructor(
    private readonly calendar: WorkingDayCalendar,
    private readonly directory: DirectoryService,
  ) {}

  async dueBy(
    manager: EntityManager,
    localAuthorityId: string,
    referral: { route: EscalationRoute; sentAt: Date; phonedAt?: string | null },
  ): Promise<Date> {
    const earlyHelpResponseDays =
      referral.route === 'early_help' ? await this.directory.earlyHelpResponseDaysFor(manager, localAuthorityId) : 0;
    return referralDueBy(this.calendar, { ...referral, earlyHelpResponseDays });
  }
}
