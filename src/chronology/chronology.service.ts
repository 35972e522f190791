import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccessPolicy, ChronologyScope } from '../access/access-policy';
import { PUPIL_EVENT_SOURCES, PupilEventSource } from '../common/pupil-events';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { message } from '../common/language';
import { UnitOfWork } from '../database/unit-of-work';
import { PupilRecordsReader } from '../dsp/pupil-records.reader';
import { OrganisationRef, OrganisationsService } from '../organisations/organisations.service';
import { BodyMapMark } from '../dsp/concerns/concern.entity';
import { withinDays } from './chronology-days';
import { EnrolmentWithOrganisation, PupilRepository } from '../school/pupil.repository';
import { JsonRowBranch, RowsOfTag, unionOfJsonRows } from '../database/json-rows';
import { Chronology, ChronologyEntry, ChronologyKind, toChronologyPupil } from './chronology.mapper';
import { PAGE_SIZE } from '../common/paging';
import { londonDateOf } from '../calendar/london-time';
import { isCurrentEnrolment } from '../school/enrolment.entity';

export interface ChronologyFilter {
  kinds?: ChronologyKind[];
  category?: string;
  /** First and last London day (`YYYY-MM-DD`), both included; either may be left out. */
  from?: string;
  to?: string;
}

/**
 * Everything the chronology PDF prints (issue 12): the pupil, where they are on roll now, every entry
 * the filter matches (named), and the body maps of the pupil's own concerns among them.
 */
export interface ChronologyExport {
  pupil: Chronology['pupil'];
  /** The pupil's enrolments that have not ended, with the organisations' names. */
  currentEnrolments: Array<{ type: string; startedOn: string; organisation: OrganisationRef }>;
  entries: ChronologyEntry[];
  /** Marks by concern id, only for the `concern_recorded` entries exported that have any. */
  bodyMaps: Map<string, BodyMapMark[]>;
}

/** Chronology pages: `pageSize` 1 to 200, 50 unless asked (API.md, Paging). */
export const CHRONOLOGY_PAGE_SIZE = PAGE_SIZE;

/**
 * Which entries to answer: a page counted from the newest end (page 1 is the newest `pageSize`
 * entries, page 2 the ones before them, ...), each page in the chronology's own order; or `all` (the
 * print view: a printed chronology is a complete record of what the filters match).
 */
export type ChronologyPaging = { page: number; pageSize: number } | 'all';

/**
 * An entry with what it takes to order it (when it happened, then when it was recorded) and to decide
 * whether an organisation that the pupil left still reads it (`ownedBy`: the organisation whose record
 * it belongs to, when not the one that made it: a concern's recorder for everything added to it, the
 * mentioning concern's for a mention).
 */
type Sortable = Omit<ChronologyEntry, 'organisation'> & { recordedAt: Date; rank: number; ownedBy?: string };

/** An entry before its organisation is named (only the entries on the page are). */
type Unnamed = Omit<ChronologyEntry, 'organisation'>;

const KIND_RANK: Record<ChronologyKind, number> = {
  enrolment: 0,
  concern_recorded: 1,
  linked_mention: 2,
  decision: 3,
  escalation_sent: 4,
  la_acknowledged: 5,
  la_outcome: 6,
  concern_closed: 7,
  transfer: 8,
  placement_started: 0,
  placement_reviewed: 8,
  placement_ended: 9,
  action_set: 3,
  action_completed: 3,
  concern_amended: 2,
  attachment_added: 2,
  records_disposed: 10,
};

/** The kinds of entry that are a pupil's safeguarding records (what a disposal removes), not roll events. */
const DISPOSABLE_KINDS = new Set<ChronologyKind>([
  'concern_recorded',
  'decision',
  'escalation_sent',
  'la_acknowledged',
  'la_outcome',
  'concern_closed',
  'action_set',
  'action_completed',
  'concern_amended',
  'attachment_added',
]);

/**
 * A MASH redirect's early-help referral is recorded in the same transaction as the MASH outcome, after
 * the acknowledgement that outcome may make: at an equal time it sits between the two, as it happened.
 */
const REDIRECT_RANK = (KIND_RANK.la_acknowledged + KIND_RANK.la_outcome) / 2;

/**
 * One timeline per pupil, composed from the records the other modules keep, read through their
 * readers (dsp's PupilRecordsReader, school's PupilRepository, the PupilEventSources): one statement of
 * indexed reads by pupil, whatever the length of the history.
 */
@Injectable()
export class ChronologyService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly accessPolicy: AccessPolicy,
    private readonly audit: AuditService,
    private readonly dspRecords: PupilRecordsReader,
    private readonly pupils: PupilRepository,
    private readonly organisations: OrganisationsService,
    @Inject(PUPIL_EVENT_SOURCES) private readonly eventSources: PupilEventSource[],
  ) {}

  /**
   * The pupil's chronology matching the filter: one page of it (newest page first, see
   * ChronologyPaging) with the true number of entries the filter matches. The records are read in one
   * statement (see `entriesFor`); only the page's entries are named (one more) and sent.
   */
  async forPupil(
    actor: Actor,
    pupilId: string,
    filter: ChronologyFilter = {},
    paging: ChronologyPaging = { page: 1, pageSize: CHRONOLOGY_PAGE_SIZE.default },
  ): Promise<Chronology> {
    return this.unitOfWork.read(async (manager) => {
      const { pupil, matching } = await this.matching(manager, actor, pupilId, filter);
      const total = matching.length;
      let shown = matching;
      let page = 1;
      let pageSize = Math.max(total, 1);
      if (paging !== 'all') {
        ({ page, pageSize } = paging);
        const end = total - (page - 1) * pageSize;
        shown = end > 0 ? matching.slice(Math.max(0, end - pageSize), end) : [];
      }
      const entries = await this.named(manager, shown);
      await this.audit.record(manager, actor, 'chronology.viewed', { type: 'pupil', id: pupilId });
      return { pupil: toChronologyPupil(pupil), entries, page, pageSize, total };
    });
  }

  /**
   * Every entry the filter matches, for the PDF: the same reading, access rule and filter as
   * `forPupil` (so what a reader may see on the page is what they may export), audited as
   * `chronology.exported` instead of `chronology.viewed` (with how many entries, the days asked for and
   * whether staff names were removed: the audit keeps who exported it when the PDF does not). Also reads
   * the body maps of the pupil's own concerns (one query), and shows their current enrolments, which the
   * page does not.
   */
  async exportForPupil(
    actor: Actor,
    pupilId: string,
    filter: ChronologyFilter = {},
    options: { redactStaff: boolean } = { redactStaff: false },
  ): Promise<ChronologyExport> {
    return this.unitOfWork.read(async (manager) => {
      const { pupil, matching, enrolments } = await this.matching(manager, actor, pupilId, filter);
      const entries = await this.named(manager, matching);
      const concernIds = new Set(entries.filter((e) => e.kind === 'concern_recorded').map((e) => e.concernId));
      const bodyMaps =
        concernIds.size > 0 ? await this.dspRecords.bodyMapsOf(manager, pupilId) : new Map<string, BodyMapMark[]>();
      for (const id of bodyMaps.keys()) if (!concernIds.has(id)) bodyMaps.delete(id);
      await this.audit.record(
        manager,
        actor,
        'chronology.exported',
        { type: 'pupil', id: pupilId },
        {
          entries: entries.length,
          redactStaff: options.redactStaff,
          ...(filter.from ? { from: filter.from } : {}),
          ...(filter.to ? { to: filter.to } : {}),
        },
      );
      return {
        pupil: toChronologyPupil(pupil),
        currentEnrolments: enrolments
          .filter((enrolment) => isCurrentEnrolment(enrolment, londonDateOf(new Date())))
          .sort((a, b) => a.startedOn.localeCompare(b.startedOn))
          .map((enrolment) => ({
            type: enrolment.type,
            startedOn: enrolment.startedOn,
            organisation: {
              id: enrolment.organisation.id,
              name: enrolment.organisation.name,
              nameCy: enrolment.organisation.nameCy ?? null,
            },
          })),
        entries,
        bodyMaps,
      };
    });
  }

  /**
   * The one reading path of the page, the API and the PDF: the access rule, the pupil, and their
   * entries (oldest first) that the filter matches, and their enrolments.
   */
  private async matching(manager: EntityManager, actor: Actor, pupilId: string, filter: ChronologyFilter) {
    const { scope, pupil } = await this.accessPolicy.chronologyScopeWithPupil(
      actor,
      pupilId,
      manager,
      this.pupils.byIdQuery(manager, pupilId),
    );
    const { entries, enrolments } = await this.entriesFor(manager, pupilId, scope);
    return { pupil, matching: applyFilter(entries, filter), enrolments };
  }

  /** Where each entry was made (a PRU's record about a dual-registered pupil says so): one query for all. */
  private async named(manager: EntityManager, entries: Unnamed[]): Promise<ChronologyEntry[]> {
    const names = await this.organisations.namesByIds(manager, [...new Set(entries.map((e) => e.organisationId))]);
    return entries.map((entry) => ({
      ...entry,
      organisation: names.get(entry.organisationId) ?? { id: entry.organisationId, name: '', nameCy: null },
    }));
  }

  /**
   * The pupil's entries, oldest first, and their enrolments; titles are catalogue messages, put into
   * words by the controllers. Issue 9: dsp's records, the enrolments and every event source's rows are
   * one statement (a `UNION ALL` of indexed reads by pupil, rows as JSON), each reader giving its
   * branches and making its records of its rows: a round trip whatever the history.
   */
  private async entriesFor(
    manager: EntityManager,
    pupilId: string,
    scope: ChronologyScope,
  ): Promise<{ entries: Unnamed[]; enrolments: EnrolmentWithOrganisation[] }> {
    /** A catalogue message (key and parameters), not words: no language is known here. */
    const t = message;
    const rowsOf = await unionOfJsonRows(
      manager,
      [
        ...underPrefix('records', this.dspRecords.recordBranches(manager)),
        ...underPrefix('roll', [this.pupils.enrolmentBranch(manager)]),
        ...this.eventSources.flatMap((source, index) => underPrefix(`source${index}`, source.branches(manager))),
      ],
      { pupilId },
    );
    const { concerns, mentions, decisions, closures, escalations, acknowledgements, outcomes } =
      await this.dspRecords.recordsFrom(
        manager,
        rowsUnderPrefix(rowsOf, 'records'),
        scope.kind === 'retained' && scope.until !== null
          ? { organisationId: scope.organisationId, until: scope.until }
          : undefined,
      );
    const enrolments = this.pupils.enrolmentsFrom(manager, rowsUnderPrefix(rowsOf, 'roll'));
    const categoryOf = new Map(concerns.map((c) => [c.id, c.category]));
    const concernById = new Map(concerns.map((c) => [c.id, c]));
    /** Everything added to a concern belongs to the organisation that recorded it. */
    const ownerOf = (concernId: string) => concernById.get(concernId)?.organisationId;
    const escalationById = new Map(escalations.map((e) => [e.id, e]));
    const entries: Sortable[] = [];

    for (const c of concerns) {
      entries.push({
        id: `concern:${c.id}`,
        at: c.occurredAt.toISOString(),
        kind: 'concern_recorded',
        title: t('chronology.titles.concern_recorded', { category: t(`concernCategories.${c.category}`) }),
        detail: c.summary,
        ...(c.childsWords
          ? {
              childsWords: {
                text: c.childsWords,
                language: c.childsWordsLanguage,
                languageName: c.childsWordsLanguage === 'other' ? c.childsWordsLanguageName : null,
              },
            }
          : {}),
        actor: { name: c.recordedByName, role: c.recordedByRole },
        organisationId: c.organisationId,
        concernId: c.id,
        category: c.category,
        recordedAt: c.recordedAt,
        rank: KIND_RANK.concern_recorded,
      });
    }
    // A mention says only that the pupil was named, and in what role: never the other child's category or account.
    for (const link of mentions) {
      const mentioned = link.concern;
      entries.push({
        id: `mention:${link.id}`,
        at: mentioned.occurredAt.toISOString(),
        kind: 'linked_mention',
        title: t('chronology.titles.linked_mention', { role: t(`linkedPupilRoles.${link.role}`) }),
        detail: null,
        actor: { name: mentioned.recordedByName, role: mentioned.recordedByRole },
        organisationId: mentioned.organisationId,
        recordedAt: mentioned.recordedAt,
        rank: KIND_RANK.linked_mention,
      });
    }
    decisions.forEach((d) => {
      entries.push({
        id: `decision:${d.id}`,
        at: d.decidedAt.toISOString(),
        kind: 'decision',
        title: t('chronology.titles.decision', { outcome: t(`decisionOutcomes.${d.outcome}`) }),
        detail: d.rationale,
        actor: { name: d.decidedByName, role: d.decidedByRole },
        organisationId: d.decidedByOrganisationId,
        concernId: d.concernId,
        ownedBy: ownerOf(d.concernId),
        category: categoryOf.get(d.concernId),
        outcome: d.outcome,
        ...(d.belowGuidance ? { belowGuidance: true as const } : {}),
        recordedAt: d.decidedAt,
        rank: KIND_RANK.decision,
      });
    });
    for (const e of escalations) {
      entries.push({
        id: `escalation:${e.id}`,
        at: e.sentAt.toISOString(),
        kind: 'escalation_sent',
        title: t(
          e.againstRecommendation ? 'chronology.titles.escalation_sent_against' : 'chronology.titles.escalation_sent',
          { route: t(`escalationRoutes.${e.route}`) },
        ),
        detail: e.reasonForRoute,
        actor: { name: e.sentByName, role: e.sentByRole },
        organisationId: e.sentByOrganisationId,
        concernId: e.concernId,
        escalationId: e.id,
        ownedBy: ownerOf(e.concernId),
        category: categoryOf.get(e.concernId),
        route: e.route,
        ...(e.againstRecommendation ? { belowGuidance: true as const } : {}),
        recordedAt: e.sentAt,
        rank: e.redirectedFromId ? REDIRECT_RANK : KIND_RANK.escalation_sent,
      });
    }
    acknowledgements.forEach((a) => {
      const escalation = escalationById.get(a.escalationId)!;
      entries.push({
        id: `acknowledgement:${a.id}`,
        at: a.acknowledgedAt.toISOString(),
        kind: 'la_acknowledged',
        title: t('chronology.titles.la_acknowledged', { route: t(`escalationRoutes.${escalation.route}`) }),
        detail: null,
        actor: { name: a.acknowledgedByName, role: a.acknowledgedByRole },
        organisationId: a.acknowledgedByOrganisationId,
        concernId: escalation.concernId,
        escalationId: a.escalationId,
        ownedBy: ownerOf(escalation.concernId),
        category: categoryOf.get(escalation.concernId),
        route: escalation.route,
        recordedAt: a.acknowledgedAt,
        rank: KIND_RANK.la_acknowledged,
      });
    });
    outcomes.forEach((o) => {
      const escalation = escalationById.get(o.escalationId)!;
      entries.push({
        id: `outcome:${o.id}`,
        at: o.decidedAt.toISOString(),
        kind: 'la_outcome',
        title: t('chronology.titles.la_outcome', {
          route: t(`escalationRoutes.${escalation.route}`),
          outcome: t(`laOutcomes.${o.outcome}`),
        }),
        detail: o.note,
        actor: { name: o.decidedByName, role: o.decidedByRole },
        organisationId: o.decidedByOrganisationId,
        concernId: escalation.concernId,
        escalationId: o.escalationId,
        ownedBy: ownerOf(escalation.concernId),
        category: categoryOf.get(escalation.concernId),
        route: escalation.route,
        outcome: o.outcome,
        recordedAt: o.decidedAt,
        rank: KIND_RANK.la_outcome,
      });
    });
    closures.forEach((c) => {
      entries.push({
        id: `closure:${c.id}`,
        at: c.closedAt.toISOString(),
        kind: 'concern_closed',
        title: t('chronology.titles.concern_closed'),
        detail: c.rationale,
        actor: { name: c.closedByName, role: c.closedByRole },
        organisationId: c.closedByOrganisationId,
        concernId: c.concernId,
        ownedBy: ownerOf(c.concernId),
        category: categoryOf.get(c.concernId),
        recordedAt: c.closedAt,
        rank: KIND_RANK.concern_closed,
      });
    });
    // A pupil's first enrolment is not an event; every later one (a PRU placement, a move) and every ending is.
    const ordered = [...enrolments].sort(
      (a, b) => a.startedOn.localeCompare(b.startedOn) || a.createdAt.getTime() - b.createdAt.getTime(),
    );
    // A leaving day still to come is not history yet: the pupil is on the roll until then.
    const today = londonDateOf(new Date());
    ordered.forEach((enrolment, index) => {
      const organisation = enrolment.organisation;
      if (index > 0) {
        entries.push({
          id: `enrolment:${enrolment.id}`,
          at: `${enrolment.startedOn}T00:00:00.000Z`,
          kind: 'enrolment',
          title: t('chronology.titles.enrolment_started', {
            organisation: { name: organisation.name, nameCy: organisation.nameCy ?? null },
            type: t(`enrolmentTypes.${enrolment.type}`),
          }),
          detail: null,
          actor: null,
          organisationId: enrolment.organisationId,
          recordedAt: enrolment.createdAt,
          rank: KIND_RANK.enrolment,
        });
      }
      if (enrolment.endedOn && enrolment.endedOn <= today) {
        entries.push({
          id: `enrolment-ended:${enrolment.id}`,
          // After everything else that happened on the last day (a day entry: shown as its date alone).
          at: `${enrolment.endedOn}T23:59:59.999Z`,
          kind: 'enrolment',
          title: t('chronology.titles.enrolment_ended', {
            organisation: { name: organisation.name, nameCy: organisation.nameCy ?? null },
          }),
          detail: null,
          actor: null,
          organisationId: enrolment.organisationId,
          recordedAt: enrolment.createdAt,
          rank: KIND_RANK.enrolment,
        });
      }
    });

    const replaced = new Set<string>();
    for (const [index, source] of this.eventSources.entries()) {
      for (const event of source.eventsFrom(manager, rowsUnderPrefix(rowsOf, `source${index}`))) {
        for (const id of event.replaces ?? []) replaced.add(id);
        entries.push({
          id: event.id,
          at: event.at.toISOString(),
          kind: event.kind,
          title: event.title,
          detail: event.detail,
          actor: event.actor,
          organisationId: event.organisationId,
          recordedAt: event.recordedAt,
          rank: KIND_RANK[event.kind],
        });
      }
    }

    // After a disposal (retention/) the tombstone stands for every safeguarding record made before it.
    const disposedAt = entries.find((entry) => entry.kind === 'records_disposed')?.recordedAt;
    const kept = entries.filter(
      (entry) =>
        !replaced.has(entry.id) &&
        readsUnder(scope, entry) &&
        !(disposedAt && DISPOSABLE_KINDS.has(entry.kind) && entry.recordedAt <= disposedAt),
    );
    kept.sort(
      (a, b) =>
        a.at.localeCompare(b.at) ||
        a.recordedAt.getTime() - b.recordedAt.getTime() ||
        a.rank - b.rank ||
        a.id.localeCompare(b.id),
    );
    return {
      entries: kept.map(({ recordedAt: _recordedAt, rank: _rank, ownedBy: _ownedBy, ...entry }) => entry),
      enrolments,
    };
  }
}

/** A reader's branches with its tags under a prefix of their own: two readers' tags never meet in the one statement. */
function underPrefix(prefix: string, branches: JsonRowBranch[]): JsonRowBranch[] {
  return branches.map((branch) => ({ ...branch, tag: `${prefix}.${branch.tag}` }));
}

/** The rows of a reader's branches, found by the tags it gave them (see `underPrefix`). */
function rowsUnderPrefix(rowsOf: RowsOfTag, prefix: string): RowsOfTag {
  return (tag) => rowsOf(`${prefix}.${tag}`);
}

/**
 * Whether the scope reads an entry: everything while the pupil is on the reader's roll; after the
 * pupil left, whatever belongs to what the reader's organisation made (its concerns with everything
 * added to them, its own events), and (after a transfer) anything else made up to the moment the file
 * was received.
 */
function readsUnder(scope: ChronologyScope, entry: Sortable): boolean {
  if (scope.kind === 'whole') return true;
  if ((entry.ownedBy ?? entry.organisationId) === scope.organisationId) return true;
  return scope.until !== null && entry.recordedAt.getTime() <= scope.until.getTime();
}

function applyFilter(entries: Unnamed[], filter: ChronologyFilter): Unnamed[] {
  return entries.filter(
    (entry) =>
      (!filter.kinds?.length || filter.kinds.includes(entry.kind)) &&
      (!filter.category || entry.category === filter.category) &&
      withinDays(entry, filter.from, filter.to),
  );
}
