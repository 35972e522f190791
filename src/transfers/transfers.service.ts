import { NotificationsService } from '../notifications/notifications.service';
import { message } from '../common/language';
import { Injectable } from '@nestjs/common';
import { EntityManager, In, SelectQueryBuilder } from 'typeorm';
import { AccessPolicy } from '../access/access-policy';
import { AuditService } from '../audit/audit.service';
import { londonDateOf } from '../calendar/london-time';
import { WorkingDayCalendar } from '../calendar/working-days';
import { Actor } from '../common/actor';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../common/domain-error';
import { newId } from '../common/ids';
import { isSettingKind } from '../common/roles';
import { PAGE_SIZE } from '../common/paging';
import { countsOf } from '../database/counts-of';
import { UnitOfWork } from '../database/unit-of-work';
import { OrganisationsService } from '../organisations/organisations.service';
import { EnrolmentChanges } from '../school/enrolment-changes';
import { PupilRepository } from '../school/pupil.repository';
import { SendTransferDto } from './dto/send-transfer.dto';
import { TransferDirection } from './dto/transfer-query.dto';
import { TransferError, TransferRuleError } from './transfer-errors';
import { TransferReceipt } from './transfer-receipt.entity';
import { destinationProblem, isOpen, isOverdue, transferDueBy, transferStatus, TransferStatus } from './transfer-rules';
import { FIRST_TRANSFER, Transfer } from './transfer.entity';
import { isUniqueViolation } from '../database/unique-violation';

export interface TransferParty {
  id: string | null;
  name: string;
  nameCy: string | null;
}

/** A transfer as its two sides read it: its own row, the pupil's name, UPN and date of birth, never the file. */
export interface TransferItem {
  id: string;
  status: TransferStatus;
  sentAt: string;
  dueBy: string;
  overdue: boolean;
  receivedAt: string | null;
  pupil: { id: string; upn: string; firstName: string; lastName: string; dateOfBirth: string };
  from: TransferParty;
  to: TransferParty;
}

export interface TransferDetail extends TransferItem {
  fromOrganisationId: string;
  toOrganisationId: string | null;
  toExternal: { name: string; localAuthority: string | null } | null;
  sentBy: string | null;
  leavingOn: string;
  note: string | null;
  sender: { name: string; role: string };
  receiver: { name: string; role: string } | null;
}

export interface TransferPage {
  items: TransferItem[];
  page: number;
  pageSize: number;
  total: number;
}

/** The names of the dashboard's four transfer counts (`TransfersService.countQueries`). */
export type TransferCountName = 'incomingWaiting' | 'incomingOverdue' | 'outgoingWaiting' | 'outgoingOverdue';

/** The counts `TransfersService.countQueries` read, as the dashboard shows them. */
export function transferCountsFrom(counts: Record<TransferCountName, number>): TransferCounts {
  return {
    incoming: { waiting: counts.incomingWaiting, overdue: counts.incomingOverdue },
    outgoing: { waiting: counts.outgoingWaiting, overdue: counts.outgoingOverdue },
  };
}

export interface TransferCounts {
  incoming: { waiting: number; overdue: number };
  outgoing: { waiting: number; overdue: number };
}

type WithReceipt = { transfer: Transfer; receipt: TransferReceipt | null };

/**
 * Moving school (API.md, "PRU placements and moving school"; DOMAIN.md, Records management): the DSP of
 * a school or PRU where the pupil is enrolled sends the safeguarding file to another of the local
 * authority's (or records it sent outside); the receiving DSP confirms receipt, which moves the roll and
 * leaves the sender reading what it held (school's `retained_access`, read by the access policy).
 * Before receipt the receiving side reads only the transfer's own row. Every read and change is audited.
 */
@Injectable()
export class TransfersService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly accessPolicy: AccessPolicy,
    private readonly audit: AuditService,
    private readonly calendar: WorkingDayCalendar,
    private readonly organisations: OrganisationsService,
    private readonly pupils: PupilRepository,
    private readonly enrolments: EnrolmentChanges,
    private readonly notifications: NotificationsService,
  ) {}

  /**
   * Checks, before any form is shown or read, that the actor may send this pupil's file: 404 when the
   * pupil is not theirs to see, 403 for a role that may not send.
   */
  async assertMaySend(actor: Actor, pupilId: string): Promise<void> {
    await this.unitOfWork.read(async (manager) => {
      await this.accessPolicy.assertPupilVisible(actor, pupilId, manager);
      this.accessPolicy.require(actor, 'transfer.send');
    });
  }

  /** The schools and PRUs the actor may send a file to: the LA's active ones, not their own. */
  async destinations(actor: Actor): Promise<Array<{ id: string; name: string; nameCy: string | null; kind: string }>> {
    this.accessPolicy.require(actor, 'transfer.send');
    const settings = await this.organisations.settingsInScope(
      this.unitOfWork.manager,
      { localAuthorityId: actor.localAuthorityId },
      { activeOnly: true },
    );
    return settings.filter((setting) => setting.id !== actor.organisationId);
  }

  async send(actor: Actor, pupilId: string, dto: SendTransferDto): Promise<TransferDetail> {
    try {
      return await this.unitOfWork.run(async (manager) => {
        await this.accessPolicy.assertPupilVisible(actor, pupilId, manager);
        this.accessPolicy.require(actor, 'transfer.send');
        const enrolled = await this.enrolments.current(manager, pupilId, actor.organisationId);
        if (enrolled.length === 0) throw new TransferRuleError(TransferError.NotOnRoll);
        // A dual registration (a PRU placement) is not where the file lives: the main school sends it.
        if (!enrolled.some((enrolment) => enrolment.type === 'main'))
          throw new TransferRuleError(TransferError.NotMainSchool);
        const external = dto.toExternal ?? null;
        if (!external) {
          // The DTO requires one destination; a caller that skipped validation gets a 400, never a guess.
          if (!dto.toOrganisationId) throw new InvalidInputError({ toOrganisationId: ['Choose a destination'] });
          const destination = await this.organisations.findOrganisation(dto.toOrganisationId);
          const problem = destinationProblem(actor, destination);
          if (problem) throw new TransferRuleError(problem);
        }
        const latest = await this.latestOf(manager, pupilId);
        if (latest && isOpen(transferStatus(latest.transfer, latest.receipt?.receivedAt ?? null)))
          throw new TransferRuleError(TransferError.OpenTransfer);
        const sentAt = new Date();
        const transfer = manager.getRepository(Transfer).create({
          id: newId(),
          pupilId,
          previousTransferId: latest?.transfer.id ?? FIRST_TRANSFER,
          fromOrganisationId: actor.organisationId,
          toOrganisationId: external ? null : dto.toOrganisationId!,
          externalName: external?.name ?? null,
          externalLocalAuthority: external?.localAuthority ?? null,
          sentBy: external ? dto.sentBy! : null,
          leavingOn: dto.leavingOn,
          note: dto.note ?? null,
          sentAt,
          dueBy: transferDueBy(this.calendar, sentAt),
          sentByUserId: actor.userId,
          sentByName: actor.name,
          sentByRole: actor.role,
        });
        await manager.getRepository(Transfer).insert(transfer);
        if (external) {
          // Nothing to receive: the sender's enrolment ends on the leaving day and it keeps what it held when it sent.
          await this.leave(manager, transfer, sentAt);
        } else {
          // The receiving DSPs are told a file waits for them (no child named: the link's page says who).
          await this.notifications.notify(manager, {
            kind: 'transfer_received',
            eventKey: transfer.id,
            userIds: await this.organisations.activeMemberIds(manager, [transfer.toOrganisationId!], ['dsp']),
            link: `/transfers/${transfer.id}`,
            title: message('transfers.notification', { from: await this.senderName(manager, actor) }),
          });
        }
        await this.audit.record(
          manager,
          actor,
          'transfer.sent',
          { type: 'pupil', id: pupilId },
          { transferId: transfer.id, toOrganisationId: transfer.toOrganisationId, external: external !== null },
        );
        return this.detailOf(manager, { transfer, receipt: null });
      });
    } catch (error) {
      // A concurrent send named the same previous transfer and committed first: the unique key said no.
      if (isUniqueViolation(error)) throw new TransferRuleError(TransferError.OpenTransfer);
      throw error;
    }
  }

  /** The sending organisation's names in both languages, for a message read in either. */
  private async senderName(manager: EntityManager, actor: Actor): Promise<{ name: string; nameCy: string | null }> {
    const names = await this.organisations.namesByIds(manager, [actor.organisationId]);
    return names.get(actor.organisationId) ?? { name: actor.organisationName, nameCy: null };
  }

  async receive(actor: Actor, transferId: string): Promise<TransferDetail> {
    try {
      return await this.unitOfWork.run(async (manager) => {
        const found = await this.findVisible(manager, actor, transferId);
        const { transfer } = found;
        if (transfer.toOrganisationId !== actor.organisationId) throw new ForbiddenError();
        this.accessPolicy.require(actor, 'transfer.receive');
        if (found.receipt) throw new TransferRuleError(TransferError.AlreadyReceived);
        const receivedAt = new Date();
        const receipt = manager.getRepository(TransferReceipt).create({
          transferId: transfer.id,
          receivedAt,
          receivedByUserId: actor.userId,
          receivedByName: actor.name,
          receivedByRole: actor.role,
          receivedByOrganisationId: actor.organisationId,
        });
        await manager.getRepository(TransferReceipt).insert(receipt);
        const here = await this.enrolments.current(manager, transfer.pupilId, actor.organisationId);
        if (here.length === 0) {
          await this.enrolments.start(manager, {
            pupilId: transfer.pupilId,
            organisationId: actor.organisationId,
            type: 'main',
            startedOn: londonDateOf(receivedAt),
          });
        }
        await this.leave(manager, transfer, receivedAt);
        await this.audit.record(
          manager,
          actor,
          'transfer.received',
          { type: 'pupil', id: transfer.pupilId },
          { transferId: transfer.id, fromOrganisationId: transfer.fromOrganisationId },
        );
        return this.detailOf(manager, { transfer, receipt });
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new TransferRuleError(TransferError.AlreadyReceived);
      throw error;
    }
  }

  async get(actor: Actor, transferId: string): Promise<TransferDetail> {
    return this.unitOfWork.read(async (manager) => {
      const found = await this.findVisible(manager, actor, transferId);
      await this.audit.record(
        manager,
        actor,
        'transfer.viewed',
        { type: 'pupil', id: found.transfer.pupilId },
        { transferId: found.transfer.id },
      );
      return this.detailOf(manager, found);
    });
  }

  /** One page of the organisation's incoming or outgoing transfers, newest first, with the true total. */
  async list(
    actor: Actor,
    query: { direction: TransferDirection; page?: number; pageSize?: number },
  ): Promise<TransferPage> {
    this.assertMayRead(actor);
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? PAGE_SIZE.default;
    const column = query.direction === 'incoming' ? 'to_organisation_id' : 'from_organisation_id';
    return this.unitOfWork.read(async (manager) => {
      const qb = manager
        .getRepository(Transfer)
        .createQueryBuilder('transfer')
        .where(`transfer.${column} = :organisationId`, { organisationId: actor.organisationId });
      const total = await qb.getCount();
      const transfers = await qb
        .orderBy('transfer.sent_at', 'DESC')
        .addOrderBy('transfer.id', 'ASC')
        .offset((page - 1) * pageSize)
        .limit(pageSize)
        .getMany();
      const receipts = await this.receiptsOf(manager, transfers);
      const items = await this.itemsOf(
        manager,
        transfers.map((transfer) => ({ transfer, receipt: receipts.get(transfer.id) ?? null })),
      );
      await this.audit.record(
        manager,
        actor,
        'transfer.viewed',
        { type: 'organisation', id: actor.organisationId },
        { direction: query.direction, page, transferIds: transfers.map((t) => t.id) },
      );
      return { items, page, pageSize, total };
    });
  }

  /**
   * The dashboard's true counts (COUNT queries, never a list's length): transfers waiting for receipt,
   * and of those overdue, incoming and outgoing. Counts name no child: not audited.
   */
  async counts(actor: Actor): Promise<TransferCounts> {
    return transferCountsFrom(await countsOf(this.unitOfWork.manager, this.countQueries(actor)));
  }

  /** The four COUNTs `counts` reads, as queries for a page to count beside its other counts (`countsOf`). */
  countQueries(actor: Actor): Record<TransferCountName, SelectQueryBuilder<Transfer>> {
    this.assertMayRead(actor);
    const manager = this.unitOfWork.manager;
    const now = new Date().toISOString();
    const waiting = (column: string, overdue: boolean) => {
      const qb = manager
        .getRepository(Transfer)
        .createQueryBuilder('transfer')
        .where(`transfer.${column} = :organisationId`, { organisationId: actor.organisationId })
        .andWhere('transfer.to_organisation_id IS NOT NULL')
        .andWhere('transfer.id NOT IN (SELECT receipt.transfer_id FROM transfer_receipts receipt)');
      if (overdue) qb.andWhere('transfer.due_by < :transferNow', { transferNow: now });
      return qb;
    };
    return {
      incomingWaiting: waiting('to_organisation_id', false),
      incomingOverdue: waiting('to_organisation_id', true),
      outgoingWaiting: waiting('from_organisation_id', false),
      outgoingOverdue: waiting('from_organisation_id', true),
    };
  }

  /** Whether the actor reads transfers at all (the dashboard asks before counting). */
  mayRead(actor: Actor): boolean {
    return isSettingKind(actor.organisationKind) && this.accessPolicy.may(actor, 'transfer.read');
  }

  private assertMayRead(actor: Actor): void {
    if (!isSettingKind(actor.organisationKind)) throw new ForbiddenError();
    this.accessPolicy.require(actor, 'transfer.read');
  }

  /**
   * The pupil leaves the sender: its current enrolments there end on the leaving day (or stay as they
   * are when they end sooner), and it keeps reading what it held up to `until`.
   */
  private async leave(manager: EntityManager, transfer: Transfer, until: Date): Promise<void> {
    const there = await this.enrolments.current(manager, transfer.pupilId, transfer.fromOrganisationId);
    for (const enrolment of there) {
      if (enrolment.endedOn === null || enrolment.endedOn > transfer.leavingOn)
        await this.enrolments.end(manager, enrolment.id, transfer.leavingOn);
    }
    await this.enrolments.retain(manager, {
      pupilId: transfer.pupilId,
      organisationId: transfer.fromOrganisationId,
      until,
      reason: 'transferred',
      sourceId: transfer.id,
    });
  }

  /**
   * A transfer the actor's organisation is a side of (sender or receiver), for a role that reads
   * transfers; otherwise NotFoundError, exactly like a missing one.
   */
  private async findVisible(manager: EntityManager, actor: Actor, transferId: string): Promise<WithReceipt> {
    if (!this.mayRead(actor)) throw new NotFoundError('Transfer');
    const transfer = await manager
      .getRepository(Transfer)
      .createQueryBuilder('transfer')
      .where('transfer.id = :transferId', { transferId })
      .andWhere('(transfer.from_organisation_id = :organisationId OR transfer.to_organisation_id = :organisationId)', {
        organisationId: actor.organisationId,
      })
      .getOne();
    if (!transfer) throw new NotFoundError('Transfer');
    const receipt = await manager.getRepository(TransferReceipt).findOne({ where: { transferId } });
    return { transfer, receipt };
  }

  /** The pupil's latest transfer (the one no other names as its previous), with its receipt, or null. */
  private async latestOf(manager: EntityManager, pupilId: string): Promise<WithReceipt | null> {
    const transfer = await manager
      .getRepository(Transfer)
      .createQueryBuilder('transfer')
      .where('transfer.pupil_id = :pupilId', { pupilId })
      .andWhere(
        'transfer.id NOT IN (SELECT later.previous_transfer_id FROM transfers later WHERE later.pupil_id = :pupilId)',
      )
      .getOne();
    if (!transfer) return null;
    const receipt = await manager.getRepository(TransferReceipt).findOne({ where: { transferId: transfer.id } });
    return { transfer, receipt };
  }

  private async receiptsOf(manager: EntityManager, transfers: Transfer[]): Promise<Map<string, TransferReceipt>> {
    if (transfers.length === 0) return new Map();
    const rows = await manager
      .getRepository(TransferReceipt)
      .find({ where: { transferId: In(transfers.map((t) => t.id)) } });
    return new Map(rows.map((row) => [row.transferId, row]));
  }

  private async itemsOf(manager: EntityManager, rows: WithReceipt[]): Promise<TransferItem[]> {
    const pupils = await this.pupils.byIds(
      manager,
      rows.map((row) => row.transfer.pupilId),
    );
    const organisationIds = rows.flatMap(({ transfer }) =>
      transfer.toOrganisationId
        ? [transfer.fromOrganisationId, transfer.toOrganisationId]
        : [transfer.fromOrganisationId],
    );
    const names = await this.organisations.namesByIds(manager, [...new Set(organisationIds)]);
    const now = new Date();
    return rows.map(({ transfer, receipt }) => {
      const status = transferStatus(transfer, receipt?.receivedAt ?? null);
      const pupil = pupils.get(transfer.pupilId)!;
      const party = (id: string): TransferParty => ({
        id,
        name: names.get(id)?.name ?? '',
        nameCy: names.get(id)?.nameCy ?? null,
      });
      return {
        id: transfer.id,
        status,
        sentAt: transfer.sentAt.toISOString(),
        dueBy: transfer.dueBy.toISOString(),
        overdue: isOverdue(status, transfer.dueBy, now),
        receivedAt: receipt ? receipt.receivedAt.toISOString() : null,
        pupil: {
          id: pupil.id,
          upn: pupil.upn,
          firstName: pupil.firstName,
          lastName: pupil.lastName,
          dateOfBirth: pupil.dateOfBirth,
        },
        from: party(transfer.fromOrganisationId),
        to: transfer.toOrganisationId
          ? party(transfer.toOrganisationId)
          : { id: null, name: transfer.externalName ?? '', nameCy: null },
      };
    });
  }

  private async detailOf(manager: EntityManager, row: WithReceipt): Promise<TransferDetail> {
    const [item] = await this.itemsOf(manager, [row]);
    const { transfer, receipt } = row;
    return {
      ...item,
      fromOrganisationId: transfer.fromOrganisationId,
      toOrganisationId: transfer.toOrganisationId,
      toExternal:
        transfer.toOrganisationId === null
          ? { name: transfer.externalName ?? '', localAuthority: transfer.externalLocalAuthority }
          : null,
      sentBy: transfer.sentBy,
      leavingOn: transfer.leavingOn,
      note: transfer.note,
      sender: { name: transfer.sentByName, role: transfer.sentByRole },
      receiver: receipt ? { name: receipt.receivedByName, role: receipt.receivedByRole } : null,
    };
  }
}
