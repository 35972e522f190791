import { Injectable } from '@nestjs/common';
import { AccessPolicy } from '../access/access-policy';
import { AccountsService } from '../accounts/accounts.service';
import { OrganisationsAdminService } from '../accounts/organisations-admin.service';
import { Actor } from '../common/actor';
import { ConcernListItem, ConcernListPage, ConcernsService } from '../dsp/concerns/concerns.service';
import { EscalationsService } from '../dsp/escalations/escalations.service';
import { DspWorklistReader, WORKLIST_PAGE_SIZE, WORKLIST_SECTIONS } from '../dsp/dsp-worklist';
import { EMERGENCY_INDICATORS } from '../guidance/guidance-engine';
import { InboxService } from '../local-authority/inbox.service';
import { isSettingKind } from '../common/roles';
import { PupilsService } from '../school/pupils.service';
import { PlacementsService } from '../pru/placements.service';
import { TransferCountName, transferCountsFrom, TransfersService } from '../transfers/transfers.service';
import { UnitOfWork } from '../database/unit-of-work';
import { countsOf } from '../database/counts-of';
import { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { ActionsService } from '../dsp/actions/actions.service';

/** How many of a person's open actions the dashboard shows (overdue first); the rest are on /actions. */
export const DASHBOARD_ACTIONS = 5;

/**
 * The dashboard's lists are read without a "viewed a list" audit row. The dashboard is the page every
 * sign-in and every "Home" opens: a row per load filled the audit log with entries that say nothing
 * about who looked at which child, and buried the ones that do. What a reader opens from it (a concern,
 * a referral, a pupil, a chronology) is audited as a view of that record, and the same lists read as
 * lists (`GET /api/concerns`, the LA inbox) are still audited.
 */
const unaudited = { audited: false } as const;

const isEmergency = (code: string) => (EMERGENCY_INDICATORS as readonly string[]).includes(code);

/**
 * The dashboard's paged sections: the DSP's work list, the open concerns, the referrals still waiting for
 * the local authority, and a member of staff's own concerns.
 */
export const DASHBOARD_SECTIONS = [...WORKLIST_SECTIONS, 'open', 'referrals', 'mine'] as const;
export type DashboardSection = (typeof DASHBOARD_SECTIONS)[number];

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

/** A page of concerns as dashboard rows, with its true total. */
function concernPage(listed: ConcernListPage) {
  return { ...listed, items: listed.items.map(concernRow) };
}

/**
 * The COUNT of each query given in one statement (`countsOf`); none given, no statement. A query left
 * left out (null or missing: the caller may not read it) has no count.
 */
async function countsAtOnce<K extends string>(
  manager: EntityManager,
  queries: Partial<Record<K, SelectQueryBuilder<ObjectLiteral> | null>>,
): Promise<Partial<Record<K, number>>> {
  const given = Object.fromEntries(
    (Object.entries(queries) as Array<[K, SelectQueryBuilder<ObjectLiteral> | null | undefined]>).filter(
      ([, qb]) => qb,
    ),
  ) as Record<K, SelectQueryBuilder<ObjectLiteral>>;
  return Object.keys(given).length ? countsOf(manager, given) : {};
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
    private readonly accounts: AccountsService,
    private readonly organisations: OrganisationsAdminService,
    private readonly placements: PlacementsService,
    private readonly transfers: TransfersService,
    private readonly actions: ActionsService,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /** `pages`: the page of each section to show (the others show their first page). */
  async forActor(actor: Actor, pages: Partial<Record<DashboardSection, number>> = {}) {
    const paging = (section: DashboardSection) => ({
      page: pages[section] ?? 1,
      pageSize: WORKLIST_PAGE_SIZE,
      ...unaudited,
    });
    const inSetting = isSettingKind(actor.organisationKind);
    const worksWithPupils = inSetting && this.accessPolicy.may(actor, 'pupil.read');
    const readsAll = inSetting && this.accessPolicy.may(actor, 'concern.read_all');
    const records = inSetting && this.accessPolicy.may(actor, 'concern.record');
    const receives = this.accessPolicy.may(actor, 'escalation.receive');

    const triage = readsAll
      ? {
          canTriage: this.accessPolicy.may(actor, 'concern.triage'),
          worklist: await this.worklist.forActor(actor, pages),
          open: concernPage(await this.concerns.listForOrganisation(actor, 'open', paging('open'))),
          referrals: await this.escalations.listForOrganisation(actor, {
            undecided: true,
            ...paging('referrals'),
          }),
        }
      : null;
    const myConcerns =
      records && !readsAll ? concernPage(await this.concerns.listRecordedBy(actor, paging('mine'))) : null;
    // True counts by COUNT queries over the referrals' stored states, never the length of a list.
    const laInbox = receives ? await this.inbox.counts(actor) : null;
    // The page's counts that are not a list's own, in one statement: each service builds its queries,
    // narrowed by the access policy, and returns none for whoever may not read them.
    const actionCounts = inSetting ? this.actions.countQueries(actor) : null;
    const transferCounts = this.transfers.mayRead(actor) ? this.transfers.countQueries(actor) : null;
    const counted = await countsAtOnce(this.unitOfWork.manager, {
      pupils: worksWithPupils ? this.pupils.rollCountQuery(actor) : null,
      actionsOpen: actionCounts?.open ?? null,
      actionsOverdue: actionCounts?.overdue ?? null,
      placements: this.placements.dashboardCountQuery(actor),
      ...transferCounts,
    });
    return {
      worksWithPupils,
      pupilCount: counted.pupils ?? 0,
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
      // The person's open actions, overdue first, with the true total (unaudited, as the dashboard's other lists).
      // None open: nothing to list.
      myActions: actionCounts
        ? {
            ...(counted.actionsOpen
              ? await this.actions.list(actor, {
                  assignee: 'me',
                  status: 'open',
                  pageSize: DASHBOARD_ACTIONS,
                  counted: counted.actionsOpen,
                  ...unaudited,
                })
              : { items: [], page: 1, pageSize: DASHBOARD_ACTIONS, total: 0 }),
            overdue: counted.actionsOverdue ?? 0,
          }
        : null,
      // A PRU's placement reviews due; a school's pupils placed at a PRU (pru/; not audited as a list).
      placements: await this.placements.dashboard(actor, undefined, counted.placements),
      laInbox,
      // Files sent and waiting for receipt, and those overdue, on both sides (COUNT queries; no child named).
      transfers: transferCounts ? transferCountsFrom(counted as Record<TransferCountName, number>) : null,
      // The admin, head teachers and the LA lead manage accounts (only those they manage are counted).
      accountCounts: this.accessPolicy.may(actor, 'account.manage') ? await this.accounts.counts(actor) : null,
      isHeadTeacher: actor.role === 'head_teacher',
      organisationCounts: this.accessPolicy.may(actor, 'organisation.manage')
        ? await this.organisations.counts(actor)
        : null,
    };
  }
}
