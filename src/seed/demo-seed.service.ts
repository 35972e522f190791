import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { WorkingDayCalendar } from '../calendar/working-days';
import { Actor } from '../common/actor';
import { DirectoryService } from '../guidance/directory/directory.service';
import { hashPassword, scryptParameters } from '../auth/password-hasher';
import { newId } from '../common/ids';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Membership } from '../organisations/membership.entity';
import { Organisation } from '../organisations/organisation.entity';
import { User } from '../organisations/user.entity';
import { Enrolment } from '../school/enrolment.entity';
import { Household } from '../school/household.entity';
import { Pupil } from '../school/pupil.entity';
import { upnFor } from '../school/upn';
import { DatabaseLock, UnitOfWork } from '../database/unit-of-work';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS, DEMO_PUPILS, DemoOrganisationKey, demoDateOfBirth } from './demo-data';
import { seedDemoHistory } from './demo-history';
import { rebuildConcernStates } from '../dsp/concern-states/concern-states';
import { EscalationRepository } from '../dsp/escalations/escalation.repository';
import { rebuildReferralBalanceCounts } from '../dsp/referral-balance-count-writer';
import { PlacementSeed } from '../pru/placement-seed';

const CARDIFF_LA_CODE = '681';
const ROLL_START = '2026-09-01';

/** The dual-registered pupil's placement at the PRU (a newcomer opens /placements and sees one). */
const DEMO_PLACEMENT = {
  type: 'dual' as const,
  reason: 'at_risk_of_exclusion' as const,
  reasonDetail:
    'Three mornings a week at Bridge PRU after repeated fixed-term exclusions; agreed with Hillcrest at a planning meeting. Aim: back to Hillcrest full time.',
  startOn: '2026-10-05',
  reviewOn: '2026-12-14',
  placedByEmail: 'dsp@bridge.example',
};

/**
 * Seeds the demo world into an empty database when SEED_DEMO is on (the default outside production).
 * Under a lock and only when there are no organisations, so several instances starting together seed once.
 */
@Injectable()
export class DemoSeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger('DemoSeed');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly calendar: WorkingDayCalendar,
    private readonly directory: DirectoryService,
    private readonly escalations: EscalationRepository,
    private readonly placements: PlacementSeed,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.seed.demo) return;
    const seeded = await this.seedIfEmpty();
    if (seeded) this.logger.log('Seeded the demo data (Cardiff (demo), Riverside Primary, Hillcrest High, Bridge PRU)');
  }

  async seedIfEmpty(): Promise<boolean> {
    // Most starts find the demo (or real data) already there: say so before paying for the password
    // hash below (scrypt, a few hundred milliseconds of every cold start otherwise). An empty database
    // is still checked again under the lock, so two instances starting at once seed it once.
    if ((await this.unitOfWork.manager.getRepository(Organisation).count()) > 0) return false;
    const passwordHash = await hashPassword(
      this.config.seed.demoPassword,
      scryptParameters(this.config.auth.passwordHashCost),
    );
    return this.unitOfWork.run(async (manager) => {
      await this.unitOfWork.lock(manager, DatabaseLock.DemoSeed);
      if ((await manager.getRepository(Organisation).count()) > 0) return false;
      await this.seed(manager, passwordHash);
      return true;
    });
  }

  private async seed(manager: EntityManager, passwordHash: string): Promise<void> {
    const now = new Date();
    const organisationIds = new Map<DemoOrganisationKey, string>(DEMO_ORGANISATIONS.map((o) => [o.key, newId()]));
    const laId = organisationIds.get('cardiff')!;
    await manager.getRepository(Organisation).insert(
      DEMO_ORGANISATIONS.map((organisation) => ({
        id: organisationIds.get(organisation.key)!,
        kind: organisation.kind,
        name: organisation.name,
        nameCy: organisation.nameCy,
        localAuthorityId: organisation.kind === 'local_authority' ? null : laId,
        // The LA's number (681), and LA + establishment number for a school or PRU (as in its pupils' UPNs).
        code: organisation.establishment ? `${CARDIFF_LA_CODE}${organisation.establishment}` : CARDIFF_LA_CODE,
        active: true,
        createdAt: now,
      })),
    );

    const actors = new Map<string, Actor>();
    for (const account of DEMO_ACCOUNTS) {
      const userId = newId();
      const membershipId = newId();
      const organisation = DEMO_ORGANISATIONS.find((o) => o.key === account.organisation)!;
      const organisationId = organisationIds.get(account.organisation)!;
      await manager.getRepository(User).insert({
        id: userId,
        email: account.email,
        name: account.name,
        passwordHash,
        language: account.language,
        active: true,
        createdAt: now,
      });
      await manager
        .getRepository(Membership)
        .insert({ id: membershipId, userId, organisationId, role: account.role, createdAt: now, endedAt: null });
      actors.set(account.email, {
        userId,
        membershipId,
        email: account.email,
        name: account.name,
        role: account.role,
        organisationId,
        organisationName: organisation.name,
        organisationNameCy: organisation.nameCy,
        organisationKind: organisation.kind,
        localAuthorityId: laId,
        language: account.language,
      });
    }

    const households = new Map<string, string>();
    for (const name of ['jones', 'hassan']) {
      const id = newId();
      households.set(name, id);
      await manager
        .getRepository(Household)
        .insert({ id, label: `${name[0].toUpperCase()}${name.slice(1)} household`, createdAt: now });
    }

    const pupilIds = new Map<string, string>();
    const serials = new Map<DemoOrganisationKey, number>();
    for (const demo of DEMO_PUPILS) {
      const establishment = DEMO_ORGANISATIONS.find((o) => o.key === demo.school)!.establishment!;
      const serial = (serials.get(demo.school) ?? 0) + 1;
      serials.set(demo.school, serial);
      const dateOfBirth = demoDateOfBirth(demo.yearGroup, demo.birthday);
      const entryYear = String((Number(dateOfBirth.slice(0, 4)) + 4) % 100).padStart(2, '0');
      const pupilId = newId();
      pupilIds.set(demo.key, pupilId);
      const flags = new Set(demo.flags ?? []);
      await manager.getRepository(Pupil).insert({
        id: pupilId,
        upn: upnFor(`${CARDIFF_LA_CODE}${establishment}${entryYear}${String(serial).padStart(3, '0')}`),
        firstName: demo.firstName,
        lastName: demo.lastName,
        preferredName: demo.preferredName ?? null,
        dateOfBirth,
        gender: demo.gender,
        yearGroup: demo.yearGroup,
        homeLanguage: demo.homeLanguage,
        lookedAfter: flags.has('looked_after'),
        cpRegister: flags.has('cp_register'),
        aln: flags.has('aln'),
        youngCarer: flags.has('young_carer'),
        eal: flags.has('eal'),
        fsm: flags.has('fsm'),
        welshSpeaker: flags.has('welsh_speaker'),
        householdId: demo.household ? households.get(demo.household)! : null,
        createdAt: now,
      });
      await manager.getRepository(Enrolment).insert({
        id: newId(),
        pupilId,
        organisationId: organisationIds.get(demo.school)!,
        type: 'main',
        startedOn: demo.yearGroup === 0 || demo.yearGroup === 7 ? ROLL_START : '2024-09-01',
        endedOn: null,
        createdAt: now,
      });
      if (demo.dualAt) {
        const enrolmentId = newId();
        const pruId = organisationIds.get(demo.dualAt)!;
        await manager.getRepository(Enrolment).insert({
          id: enrolmentId,
          pupilId,
          organisationId: pruId,
          type: 'dual',
          startedOn: DEMO_PLACEMENT.startOn,
          endedOn: null,
          createdAt: now,
        });
        // The dual registration is a real placement (pru/): why, since when, and when it is reviewed.
        const { placedByEmail: _placedByEmail, ...placement } = DEMO_PLACEMENT;
        await this.placements.placed(manager, {
          ...placement,
          pupilId,
          pruId,
          homeOrganisationId: organisationIds.get(demo.school)!,
          enrolmentId,
          placedBy: actors.get(DEMO_PLACEMENT.placedByEmail)!,
          placedAt: now,
        });
      }
    }

    await this.directory.seedDefaults(manager, laId, 'Demo data');
    await seedDemoHistory({
      manager,
      audit: this.audit,
      calendar: this.calendar,
      escalations: this.escalations,
      actors,
      pupilIds,
      now,
    });
    // The history is inserted directly, so its derived concern states are built in the same transaction.
    await rebuildConcernStates(manager);
    // The history above is inserted as records, not through the services: count the referral balance from it.
    await rebuildReferralBalanceCounts(manager);
  }
}
