import { Inject, Injectable } from '@nestjs/common';
import { message } from '../../common/language';
import { NotificationsService } from '../../notifications/notifications.service';
import { EntityManager, In, SelectQueryBuilder } from 'typeorm';
import { AccessPolicy } from '../../access/access-policy';
import { AuditService } from '../../audit/audit.service';
import { Actor } from '../../common/actor';
import { ForbiddenError, NotFoundError } from '../../common/domain-error';
import { newId } from '../../common/ids';
import { PAGE_SIZE } from '../../common/paging';
import { recordedBy } from '../../common/recorded-by';
import { Role } from '../../common/roles';
import { countsOf } from '../../database/counts-of';
import { UnitOfWork } from '../../database/unit-of-work';
import { OrganisationsService } from '../../organisations/organisations.service';
import { PupilRepository } from '../../school/pupil.repository';
import { ACTION_CONCERNS, ActionConcerns } from './action-concerns';
import { ActionCompletion } from './action-completion.entity';
import { ActionError, ActionRuleError } from './action-errors';
import { ActionRecords } from './action-records';
import { ASSIGNEE_ROLES, isDueInPast, londonToday } from './action-rules';
import { Action } from './action.entity';
import { ActionListItem, ActionResponse, toActionResponse } from './action.mapper';
import { ActionAssignee, ActionStatus, CompleteActionDto, SetActionDto } from './dto/action.dto';

export interface ActionListOptions {
  assignee?: ActionAssignee;
  status?: ActionStatus;
  page?: number;
  pageSize?: number;
  /** The dashboard reads its glance unaudited, as its other lists (home/dashboard.service.ts says why). */
  audited?: boolean;
  /** The true total, when the caller has just counted it (`countQueries`), so the list does not count again. */
  counted?: number;
}

export interface ActionListPage {
  items: ActionListItem[];
  page: number;
  pageSize: number;
  total: number;
}

/** The concern page's actions section. */
export interface ConcernActionsPanel {
  concernId: string;
  items: Array<ActionResponse & { canComplete: boolean }>;
  canSet: boolean;
  assignees: AssigneeChoice[];
}

/** Someone an action may be given to, for the page's choice. */
export interface AssigneeChoice {
  userId: string;
  name: string;
  role: Role;
}

/**
 * Actions on a concern (API.md, "Daily work"): a DSP of the organisation that recorded the concern sets
 * one for a member of staff, DSP or head teacher there; the assignee or a DSP completes it with a note.
 * Both are appended records (an action, then its completion), audited in the same transaction; open,
 * done and overdue are derived from which rows exist and the London calendar, never stored.
 */
@Injectable()
export class ActionsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly accessPolicy: AccessPolicy,
    private readonly audit: AuditService,
    @Inject(ACTION_CONCERNS) private readonly concerns: ActionConcerns,
    private readonly pupils: PupilRepository,
    private readonly organisations: OrganisationsService,
    private readonly records: ActionRecords,
    private readonly notifications: NotificationsService,
  ) {}

  /** 403 for a role that may not set actions, before a page checks the form. */
  assertMaySet(actor: Actor): void {
    this.accessPolicy.require(actor, 'concern.triage');
  }

  /** May read the "my actions" list: the roles an action can be given to. */
  mayHaveActions(actor: Actor): boolean {
    return ASSIGNEE_ROLES.includes(actor.role as (typeof ASSIGNEE_ROLES)[number]);
  }

  /**
   * Sets an action: the concern must be visible (404), the caller a DSP (403) of the organisation that
   * recorded it (422 `concern_owned_by_other_organisation`), the concern open (422 `concern_closed`),
   * the due day today or later (422 `due_in_past`) and the assignee an active member of that organisation
   * as staff, DSP or head teacher (422 `assignee_not_in_organisation`).
   */
  async set(actor: Actor, concernId: string, dto: SetActionDto): Promise<ActionResponse> {
    return this.unitOfWork.run(async (manager) => {
      const concern = await this.concerns.findVisible(manager, actor, concernId, { forUpdate: true });
      this.accessPolicy.require(actor, 'concern.triage');
      this.accessPolicy.assertOwnsConcern(actor, concern);
      if (await this.concerns.isClosed(manager, concern.id)) throw new ActionRuleError(ActionError.ConcernClosed);
      const now = new Date();
      if (isDueInPast(dto.dueOn, now)) throw new ActionRuleError(ActionError.DueInPast);
      const assignee = (await this.organisations.activeMembers(manager, concern.organisationId, ASSIGNEE_ROLES)).find(
        (member) => member.userId === dto.assigneeUserId,
      );
      if (!assignee) throw new ActionRuleError(ActionError.AssigneeNotInOrganisation);
      const action: Action = {
        id: newId(),
        concernId: concern.id,
        pupilId: concern.pupilId,
        organisationId: concern.organisationId,
        description: dto.description,
        assigneeUserId: assignee.userId,
        assigneeName: assignee.name,
        dueOn: dto.dueOn,
        setAt: now,
        ...recordedBy('setBy', actor),
      };
      await manager.getRepository(Action).insert(action);
      await this.audit.record(
        manager,
        actor,
        'action.created',
        { type: 'concern', id: concern.id },
        { pupilId: concern.pupilId, actionId: action.id, assigneeUserId: assignee.userId, dueOn: action.dueOn },
      );
      // The assignee is told now (their list, not the concern: a member of staff may not read it).
      const organisation = (await this.organisations.namesByIds(manager, [concern.organisationId])).get(
        concern.organisationId,
      );
      await this.notifications.notify(manager, {
        kind: 'action_assigned',
        eventKey: action.id,
        userIds: assignee.userId === actor.userId ? [] : [assignee.userId],
        link: '/actions',
        title: message('actions.notifications.assigned', {
          organisation: { name: organisation?.name ?? actor.organisationName, nameCy: organisation?.nameCy ?? null },
        }),
      });
      return toActionResponse(action, null, now);
    });
  }

  /**
   * Completes an action with a note: its assignee (at the organisation it was set at), or a DSP of that
   * organisation who may read the concern. Anyone else who may read the concern gets 403; everyone else
   * 404. Completing twice: 422 `action_already_completed` (the completion's primary key holds it under
   * concurrent posts too).
   */
  async complete(actor: Actor, actionId: string, dto: CompleteActionDto): Promise<ActionResponse> {
    return this.unitOfWork.run(async (manager) => {
      const action = await this.unitOfWork
        .lockRows(
          manager.getRepository(Action).createQueryBuilder('action').where('action.id = :actionId', { actionId }),
        )
        .getOne();
      if (!action) throw new NotFoundError('Action');
      await this.assertMayComplete(manager, actor, action);
      if (await manager.getRepository(ActionCompletion).exists({ where: { actionId: action.id } }))
        throw new ActionRuleError(ActionError.AlreadyCompleted);
      const completion: ActionCompletion = {
        actionId: action.id,
        note: dto.note,
        completedAt: new Date(),
        ...recordedBy('completedBy', actor),
      };
      await manager.getRepository(ActionCompletion).insert(completion);
      await this.audit.record(
        manager,
        actor,
        'action.completed',
        { type: 'concern', id: action.concernId },
        { pupilId: action.pupilId, actionId: action.id },
      );
      return toActionResponse(action, completion, completion.completedAt);
    });
  }

  /** One action, for the complete page: who may complete it reads it (the same rule, audited as a view of the concern). */
  async get(actor: Actor, actionId: string): Promise<ActionListItem> {
    return this.unitOfWork.read(async (manager) => {
      const action = await manager.getRepository(Action).findOne({ where: { id: actionId } });
      if (!action) throw new NotFoundError('Action');
      await this.assertMayComplete(manager, actor, action);
      const [item] = await this.itemsOf(manager, [action]);
      await this.audit.record(
        manager,
        actor,
        'action.viewed',
        { type: 'concern', id: action.concernId },
        { pupilId: action.pupilId, actionId: action.id },
      );
      return item;
    });
  }

  private async assertMayComplete(manager: EntityManager, actor: Actor, action: Action): Promise<void> {
    const isAssignee = action.assigneeUserId === actor.userId && action.organisationId === actor.organisationId;
    if (isAssignee) return;
    // Anyone else must read the concern (404 as if the action did not exist otherwise) and be its organisation's DSP.
    try {
      await this.concerns.findVisible(manager, actor, action.concernId);
    } catch (error) {
      if (error instanceof NotFoundError) throw new NotFoundError('Action');
      throw error;
    }
    if (!this.accessPolicy.may(actor, 'concern.triage') || actor.organisationId !== action.organisationId)
      throw new ForbiddenError(
        'Only the person the action was given to or a designated safeguarding person completes it',
      );
  }

  /**
   * One page of actions with their pupils: the caller's own at their organisation (`assignee` `me`), or
   * every action of the organisation (`any`: DSPs and head teachers). `status`: `open`, `overdue` (open
   * and due before today, London), `done`; omitted, open ones then done. Open ones by due date, so the
   * overdue come first; the true total by COUNT. Audited as a list (it names pupils) unless the
   * dashboard's glance.
   */
  async list(actor: Actor, options: ActionListOptions = {}): Promise<ActionListPage> {
    const assignee = options.assignee ?? 'me';
    if (assignee === 'any') this.accessPolicy.require(actor, 'concern.read_all');
    else if (!this.mayHaveActions(actor)) throw new ForbiddenError();
    const page = Math.max(1, Math.floor(options.page ?? 1));
    const pageSize = Math.min(PAGE_SIZE.max, Math.max(1, Math.floor(options.pageSize ?? PAGE_SIZE.default)));
    const read = async (manager: EntityManager) => {
      const today = londonToday(new Date());
      const matching = () => this.matching(manager, actor, assignee, options.status, today);
      const total =
        options.counted ??
        Number((await matching().select('COUNT(*)', 'total').getRawOne<{ total: string | number }>())?.total ?? 0);
      const ids =
        total > (page - 1) * pageSize
          ? (
              await matching()
                .select('action.id', 'id')
                .addSelect('CASE WHEN completion.action_id IS NULL THEN 0 ELSE 1 END', 'done_rank')
                .addSelect('action.due_on', 'due_on')
                .addSelect('action.set_at', 'set_at')
                .orderBy('done_rank', 'ASC')
                .addOrderBy('due_on', 'ASC')
                .addOrderBy('set_at', 'ASC')
                .addOrderBy('id', 'ASC')
                .offset((page - 1) * pageSize)
                .limit(pageSize)
                .getRawMany<{ id: string }>()
            ).map((row) => row.id)
          : [];
      const actions = ids.length ? await manager.getRepository(Action).findBy({ id: In(ids) }) : [];
      const byId = new Map(actions.map((a) => [a.id, a]));
      const items = await this.itemsOf(
        manager,
        ids.map((id) => byId.get(id)!),
      );
      if (options.audited !== false)
        await this.audit.record(
          manager,
          actor,
          'action_list.viewed',
          { type: 'organisation', id: actor.organisationId },
          {
            assignee,
            status: options.status ?? null,
            page,
            actionIds: items.map((item) => item.id),
            pupilIds: [...new Set(items.map((item) => item.pupil.id))],
          },
        );
      return { items, page, pageSize, total };
    };
    return this.unitOfWork.read(read);
  }

  /** How many of the caller's actions are open, and how many of those overdue (two indexed COUNTs in one statement; no child named). */
  async counts(actor: Actor): Promise<{ open: number; overdue: number }> {
    const queries = this.countQueries(actor);
    if (!queries) return { open: 0, overdue: 0 };
    return countsOf(this.unitOfWork.manager, queries);
  }

  /**
   * The caller's open actions and the overdue among them, as queries for a page to count beside its
   * other counts (`countsOf`); null for whoever has no actions.
   */
  countQueries(actor: Actor): Record<'open' | 'overdue', SelectQueryBuilder<Action>> | null {
    if (!this.mayHaveActions(actor)) return null;
    const manager = this.unitOfWork.manager;
    const today = londonToday(new Date());
    return {
      open: this.matching(manager, actor, 'me', 'open', today),
      overdue: this.matching(manager, actor, 'me', 'overdue', today),
    };
  }

  /**
   * For the "set an action" page: the concern must be visible (404), the caller a DSP (403) of the
   * organisation that recorded it (422). Reads no pupil data, so records nothing.
   */
  async assertMaySetOn(actor: Actor, concernId: string): Promise<{ concernId: string; organisationId: string }> {
    return this.unitOfWork.read(async (manager) => {
      const concern = await this.concerns.findVisible(manager, actor, concernId);
      this.accessPolicy.require(actor, 'concern.triage');
      this.accessPolicy.assertOwnsConcern(actor, concern);
      return { concernId: concern.id, organisationId: concern.organisationId };
    });
  }

  /** Whether the actor may complete this action (shown on the concern page; the service decides again on the post). */
  mayComplete(actor: Actor, action: { assignee: { id: string } }, concernOrganisationId: string): boolean {
    return (
      (action.assignee.id === actor.userId && actor.organisationId === concernOrganisationId) ||
      (this.accessPolicy.may(actor, 'concern.triage') && actor.organisationId === concernOrganisationId)
    );
  }

  /**
   * The concern page's actions section (views/partials/concern-actions.hbs), from the concern's read
   * (already audited): each action with whether the reader may complete it, and for a DSP of the
   * organisation that recorded an open concern the "set an action" form's choices.
   */
  async panel(
    actor: Actor,
    concern: { id: string; status: string; organisation: { id: string }; actions: ActionResponse[] },
  ): Promise<ConcernActionsPanel> {
    const canSet =
      this.accessPolicy.may(actor, 'concern.triage') &&
      this.accessPolicy.ownsConcern(actor, { organisationId: concern.organisation.id }) &&
      concern.status !== 'closed';
    return {
      concernId: concern.id,
      items: concern.actions.map((action) => ({
        ...action,
        canComplete: action.status === 'open' && this.mayComplete(actor, action, concern.organisation.id),
      })),
      canSet,
      assignees: canSet ? await this.assigneeChoices(actor, concern.organisation.id) : [],
    };
  }

  /** Who an action on a concern of this organisation may be given to (no pupil data: not audited). */
  async assigneeChoices(actor: Actor, organisationId: string): Promise<AssigneeChoice[]> {
    this.accessPolicy.require(actor, 'concern.triage');
    return this.unitOfWork.read((manager) => this.organisations.activeMembers(manager, organisationId, ASSIGNEE_ROLES));
  }

  private matching(
    manager: EntityManager,
    actor: Actor,
    assignee: ActionAssignee,
    status: ActionStatus | undefined,
    today: string,
  ): SelectQueryBuilder<Action> {
    const qb = manager
      .getRepository(Action)
      .createQueryBuilder('action')
      .leftJoin(ActionCompletion, 'completion', 'completion.action_id = action.id')
      .where('action.organisation_id = :organisationId', { organisationId: actor.organisationId });
    if (assignee === 'me') qb.andWhere('action.assignee_user_id = :userId', { userId: actor.userId });
    if (status === 'open') qb.andWhere('completion.action_id IS NULL');
    if (status === 'done') qb.andWhere('completion.action_id IS NOT NULL');
    if (status === 'overdue') qb.andWhere('completion.action_id IS NULL AND action.due_on < :today', { today });
    return qb;
  }

  private async itemsOf(manager: EntityManager, actions: Action[]): Promise<ActionListItem[]> {
    const completions = await this.records.completionsOf(
      manager,
      actions.map((a) => a.id),
    );
    const pupils = await this.pupils.byIds(
      manager,
      actions.map((a) => a.pupilId),
    );
    const now = new Date();
    return actions.map((action) => {
      const pupil = pupils.get(action.pupilId);
      return {
        ...toActionResponse(action, completions.get(action.id) ?? null, now),
        pupil: { id: action.pupilId, firstName: pupil?.firstName ?? '', lastName: pupil?.lastName ?? '' },
      };
    });
  }
}
