import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Actor } from '../common/actor';
import { newId } from '../common/ids';
import { DatabaseLock, UnitOfWork } from '../database/unit-of-work';
import { GENESIS_HASH, hashEntry } from './audit-chain';
import { AuditReadPolicy } from './audit-read-policy';
import { AuditDetails, AuditEntry } from './audit-entry.entity';
import { AuditEntryResponse, toAuditEntryResponse } from './audit.mapper';

/** `<subject>.<past tense>`, as API.md lists them. */
export const AUDIT_ACTIONS = [
  'pupil.viewed',
  'pupil_list.viewed',
  'concern_list.viewed',
  'escalation_list.viewed',
  'chronology.viewed',
  'guidance.evaluated',
  'concern.recorded',
  'concern.viewed',
  'concern.decided',
  'concern.closed',
  'escalation.sent',
  'escalation.viewed',
  'escalation.acknowledged',
  'escalation.outcome_recorded',
  'directory.updated',
  'guidance_settings.updated',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditSubject {
  type: string;
  id: string;
}

export interface AuditQuery {
  subjectType?: string;
  subjectId?: string;
  limit?: number;
}

@Injectable()
export class AuditService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly readPolicy: AuditReadPolicy,
    @InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>,
  ) {}

  /**
   * Appends an entry inside the caller's transaction, so the change and its record commit together.
   * The chain head is read under a lock, so concurrent writers (even on other instances) stay in line.
   */
  async record(
    manager: EntityManager,
    actor: Actor,
    action: AuditAction,
    subject: AuditSubject,
    details: AuditDetails | null = null,
  ): Promise<void> {
    await this.unitOfWork.lock(manager, DatabaseLock.AuditChain);
    const head = await manager
      .getRepository(AuditEntry)
      .find({ order: { seq: 'DESC' }, take: 1, select: { seq: true, hash: true } });
    const fields = {
      seq: (head[0]?.seq ?? 0) + 1,
      id: newId(),
      at: new Date(),
      actorUserId: actor.userId,
      actorName: actor.name,
      actorRole: actor.role,
      actorOrganisationId: actor.organisationId,
      action,
      subjectType: subject.type,
      subjectId: subject.id,
      details,
      prevHash: head[0]?.hash ?? GENESIS_HASH,
    };
    await manager.getRepository(AuditEntry).insert({ ...fields, hash: hashEntry(fields) });
  }

  /** Who did what to a subject, views included. Scope is the access policy's decision. */
  async list(actor: Actor, query: AuditQuery): Promise<AuditEntryResponse[]> {
    const scope = await this.readPolicy.auditScope(
      actor,
      query.subjectType && query.subjectId ? { type: query.subjectType, id: query.subjectId } : null,
    );
    const qb = this.entries
      .createQueryBuilder('entry')
      .orderBy('entry.seq', 'DESC')
      .take(Math.min(query.limit ?? 200, 1000));
    if (query.subjectType) qb.andWhere('entry.subjectType = :subjectType', { subjectType: query.subjectType });
    if (query.subjectId) qb.andWhere('entry.subjectId = :subjectId', { subjectId: query.subjectId });
    if (scope.kind === 'actor_organisations') {
      if (scope.organisationIds.length === 0) return [];
      qb.andWhere('entry.actorOrganisationId IN (:...organisationIds)', { organisationIds: scope.organisationIds });
    }
    return (await qb.getMany()).map(toAuditEntryResponse);
  }
}
