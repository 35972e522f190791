import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { SessionRegistry } from '../auth/session-registry';
import { Membership } from '../organisations/membership.entity';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { ForbiddenError, NotFoundError } from '../common/domain-error';
import { newId } from '../common/ids';
import { PAGE_SIZE } from '../common/paging';
import { UnitOfWork } from '../database/unit-of-work';
import { Organisation } from '../organisations/organisation.entity';
import { AccountError, AccountRuleError } from './account-errors';
import { CreateOrganisationDto, UpdateOrganisationDto } from './dto/organisation.dto';
import { OrganisationView, toOrganisationView } from './account.mapper';
import { isUniqueViolation } from '../database/unique-violation';

export interface Paged<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

/**
 * The local authority's organisations: listed to the admin and the LA lead (every one of their LA) and
 * to everyone else (their own); added, renamed, deactivated and reactivated by the admin. Never deleted.
 * A deactivated school or PRU's memberships cannot sign in or act (loadActor refuses them); its pupils'
 * records stay readable to the LA and to any other organisation they are enrolled at.
 */
@Injectable()
export class OrganisationsAdminService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly sessions: SessionRegistry,
  ) {}

  async list(actor: Actor, query: { page?: number; pageSize?: number } = {}): Promise<Paged<OrganisationView>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? PAGE_SIZE.default;
    const qb = this.unitOfWork.manager.getRepository(Organisation).createQueryBuilder('o');
    if (actor.role === 'admin' || actor.role === 'la_lead')
      qb.where('(o.id = :la OR o.local_authority_id = :la)', { la: actor.localAuthorityId });
    else qb.where('o.id = :own', { own: actor.organisationId });
    const [rows, total] = await qb
      // The local authority first, then its schools and PRUs by name.
      .orderBy("CASE WHEN o.kind = 'local_authority' THEN 0 ELSE 1 END", 'ASC')
      .addOrderBy('o.name', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getManyAndCount();
    return { items: rows.map(toOrganisationView), page, pageSize, total };
  }

  /** One organisation of the admin's local authority (404 otherwise). */
  async get(actor: Actor, id: string): Promise<OrganisationView> {
    this.assertAdmin(actor);
    return toOrganisationView(await this.findInAuthority(this.unitOfWork.manager, actor, id));
  }

  async create(actor: Actor, dto: CreateOrganisationDto): Promise<OrganisationView> {
    this.assertAdmin(actor);
    const organisation = await this.unitOfWork
      .run(async (manager) => {
        await this.assertCodeFree(manager, dto.code);
        const created: Organisation = {
          id: newId(),
          kind: dto.kind,
          name: dto.name,
          nameCy: dto.nameCy ?? null,
          code: dto.code,
          active: true,
          localAuthorityId: actor.localAuthorityId,
          createdAt: new Date(),
        };
        await manager.getRepository(Organisation).insert(created);
        await this.audit.record(
          manager,
          actor,
          'organisation.created',
          { type: 'organisation', id: created.id },
          { kind: created.kind, name: created.name, nameCy: created.nameCy, code: created.code },
        );
        return created;
      })
      .catch((error: unknown) => {
        // Two admins adding the same code at once: the unique index refuses the second.
        throw isUniqueViolation(error) ? new AccountRuleError(AccountError.CodeTaken, dto.code) : error;
      });
    return toOrganisationView(organisation);
  }

  async update(actor: Actor, id: string, dto: UpdateOrganisationDto): Promise<OrganisationView> {
    this.assertAdmin(actor);
    const updated = await this.unitOfWork.run(async (manager) => {
      const organisation = await this.findInAuthority(manager, actor, id);
      const subject = { type: 'organisation', id };
      const nameCy = dto.nameCy === undefined ? organisation.nameCy : dto.nameCy === '' ? null : dto.nameCy;
      const name = dto.name ?? organisation.name;
      if (name !== organisation.name || nameCy !== organisation.nameCy) {
        await manager.getRepository(Organisation).update({ id }, { name, nameCy });
        await this.audit.record(manager, actor, 'organisation.renamed', subject, {
          previousName: organisation.name,
          previousNameCy: organisation.nameCy,
          name,
          nameCy,
        });
      }
      if (dto.active !== undefined && dto.active !== organisation.active) {
        if (organisation.kind === 'local_authority')
          throw new AccountRuleError(AccountError.LocalAuthorityAlwaysActive);
        await manager.getRepository(Organisation).update({ id }, { active: dto.active });
        // Its members' sessions stop at their next request (loading the actor refuses an inactive
        // organisation), and are ended for good, so reactivating it revives none of them.
        if (!dto.active)
          for (const { id: membershipId } of await manager
            .getRepository(Membership)
            .find({ select: { id: true }, where: { organisationId: id, endedAt: IsNull() } }))
            await this.sessions.endAllForMembership(manager, membershipId, 'membership_ended');
        await this.audit.record(
          manager,
          actor,
          dto.active ? 'organisation.reactivated' : 'organisation.deactivated',
          subject,
        );
      }
      return manager.getRepository(Organisation).findOneByOrFail({ id });
    });
    return toOrganisationView(updated);
  }

  /** Organisations the caller may add people to, for the invite form (the LA's, or the caller's own). */
  async choicesFor(actor: Actor): Promise<OrganisationView[]> {
    const { items } = await this.list(
      actor.role === 'la_lead' ? { ...actor, role: 'staff', organisationId: actor.localAuthorityId } : actor,
      { page: 1, pageSize: 10_000 },
    );
    return items.filter((organisation) => organisation.active);
  }

  /** How many schools and PRUs the LA has, active and in all (the admin's dashboard). */
  async counts(actor: Actor): Promise<{ settings: number; activeSettings: number }> {
    const rows = await this.unitOfWork.manager
      .getRepository(Organisation)
      .createQueryBuilder('o')
      .select('o.active', 'active')
      .addSelect('COUNT(*)', 'n')
      .where('o.local_authority_id = :la', { la: actor.localAuthorityId })
      .groupBy('o.active')
      .getRawMany<{ active: boolean | number; n: string | number }>();
    const settings = rows.reduce((sum, row) => sum + Number(row.n), 0);
    const activeSettings = rows.filter((row) => Boolean(row.active)).reduce((sum, row) => sum + Number(row.n), 0);
    return { settings, activeSettings };
  }

  private assertAdmin(actor: Actor): void {
    if (actor.role !== 'admin') throw new ForbiddenError('Only the administrator manages organisations');
  }

  private async findInAuthority(manager: EntityManager, actor: Actor, id: string): Promise<Organisation> {
    const organisation = await manager.getRepository(Organisation).findOneBy({ id });
    if (
      !organisation ||
      (organisation.id !== actor.localAuthorityId && organisation.localAuthorityId !== actor.localAuthorityId)
    )
      throw new NotFoundError('Organisation');
    return organisation;
  }

  private async assertCodeFree(manager: EntityManager, code: string): Promise<void> {
    if (await manager.getRepository(Organisation).existsBy({ code }))
      throw new AccountRuleError(AccountError.CodeTaken, code);
  }
}
