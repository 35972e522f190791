import { Injectable } from '@nestjs/common';
import { AccessPolicy } from '../access/access-policy';
import { Actor } from '../common/actor';
import { ConcernListItem, ConcernsService } from '../dsp/concerns/concerns.service';
import { EscalationsService } from '../dsp/escalations/escalations.service';
import { DspWorklistReader, WORKLIST_PAGE_SIZE, WORKLIST_SECTIONS } from '../dsp/dsp-worklist';
import { EMERGENCY_INDICATORS } from '../guidance/guidance-engine';
import { InboxService } from '../local-authority/inbox.service';
import { isSettingKind } from '../common/roles';
import { PupilsService } from '../school/pupils.service';

/**
 * The dashboard's lists are read without a "viewed a list" audit row. The dashboard is the page every
 * sign-in and every "Home" opens: a row per load filled the audit log with entries that say nothing
 * about who looked at which child, and buried the ones that do. What a reader opens from it (a concern,
 * a referral, a pupil, a chronology) is audited as a view of that record, and the same lists read as
 * lists (`GET /api/concerns`, the LA inbox) are still audited.
 */
const unaudited = { audited: false } as const;

/** The DSP's referrals still waiting for the local authority, as many a page as the worklist's sections. */
export const REFERRALS_PAGE_SIZE = WORKLIST_PAGE_SIZE;

/** The dashboard's paged sections: the DSP's worklist's, and the referrals waiting for an answer. */
export const DASHBOARD_SECTIONS = [...WORKLIST_SECTIONS, 'referrals'] as const;
export type DashboardSection = (typeof DASHBOARD_SECTIONS)[number];

const isEmergency = (code: string) => (EMERGENCY_INDICATORS as readonly string[]).includes(code);

/** A concern as a dashboard row. */
function concernRow(item: ConcernListItem) {
  return {
    id: item.id,
    status: item.status,
    pupil: item.pupil,
    category: item.category,
    occurredAt: item.occurredAt,
    recordedAt: item.recordedAt,
    recordedBy: item.recordedBy,
    emergency: item.indicators.some(isEmergency),
    indicators: item.indicators,
  };
}

/**
 * The starting page, by what the person may do: a DSP's triage queue, open concerns and referrals
 * waiting for an answer (read-only for a head teacher); a member of staff's own concerns; a
 * local-authority team's count of referrals to answer. Each list is one service read (not audited: see `unaudited`).
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly accessPolicy: AccessPolicy,
    private readonly pupils: PupilsService,
    private readonly concerns: ConcernsService,
    private readonly escalations: EscalationsService,
    private readonly inbox: InboxService,
    private readonly worklist: DspWorklistReader,
  ) {}

  /** `pages`: the page of each DSP section to show (the others show their first page). */
  async forActor(actor: Actor, pages: Partial<Record<DashboardSection, number>> = {}) {
    const inSetting = isSettingKind(actor.organisationKind);
    const worksWithPupils = inSetting && this.accessPolicy.may(actor, 'pupil.read');
    const readsAll = inSetting && this.accessPolicy.may(actor, 'concern.read_all');
    const records = inSetting && this.accessPolicy.may(actor, 'concern.record');
    const receives = this.accessPolicy.may(actor, 'escalation.receive');

    const triage = readsAll
      ? {
          canTriage: this.accessPolicy.may(actor, 'concern.triage'),
          worklist: await this.worklist.forActor(actor, pages),
          open: (await this.concerns.listForOrganisation(actor, 'open', unaudited)).map(concernRow),
          referrals: await this.escalations.listForOrganisation(actor, {
            undecided: true,
            page: pages.referrals ?? 1,
            pageSize: REFERRALS_PAGE_SIZE,
            ...unaudited,
          }),
        }
      : null;
    const myConcerns =
      records && !readsAll
        ? { items: (await this.concerns.listRecordedBy(actor, undefined, unaudited)).map(concernRow) }
        : null;
    // True counts by COUNT queries over the referrals' stored states, never the length of a list.
    const laInbox = receives ? await this.inbox.counts(actor) : null;
    return {
      worksWithPupils,
      pupilCount: worksWithPupils ? await this.pupils.countVisible(actor) : 0,
      canRecord: records,
      canReadAudit: this.accessPolicy.may(actor, 'audit.read'),
      isLocalAuthorityTeam: receives,
      isAdmin: actor.role === 'admin',
      triage: triage
        ? {
            ...triage,
            emergencies: triage.worklist.emergencies,
            overdueReferrals: triage.referrals.overdueTotal,
          }
        : null,
      myConcerns,
      laInbox,
    };
  }
}
