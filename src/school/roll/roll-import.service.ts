import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { AccessPolicy } from '../../access/access-policy';
import { AuditService } from '../../audit/audit.service';
import { londonDateOf } from '../../calendar/london-time';
import { Actor } from '../../common/actor';
import { RuleBrokenError } from '../../common/domain-error';
import { newId } from '../../common/ids';
import { DatabaseLock, UnitOfWork } from '../../database/unit-of-work';
import { OrganisationsService } from '../../organisations/organisations.service';
import { Enrolment, EnrolmentType } from '../enrolment.entity';
import { Household } from '../household.entity';
import { Pupil } from '../pupil.entity';
import { PupilContact, PupilContactDetails } from './contact-details.entity';
import { readRollFile, RollFileFormat } from './roll-file';
import { CheckedRow, checkRollRows, RollProblem, RollPupil } from './roll-rows';

export const ROLL_MODES = ['full', 'partial'] as const;
export type RollMode = (typeof ROLL_MODES)[number];

export const ROLL_ACTIONS = ['added', 'updated', 'unchanged', 'left', 'rejected'] as const;
export type RollAction = (typeof ROLL_ACTIONS)[number];

/** One row of the answer: a file row (its line), or a pupil who left (line null). Names are the file's only. */
export interface RollImportRow {
  line: number | null;
  upn: string;
  firstName?: string;
  lastName?: string;
  action: RollAction;
  problems?: RollProblem[];
}

export interface RollImportSummary {
  added: number;
  updated: number;
  unchanged: number;
  left: number;
  rejected: number;
}

export interface RollImportResult {
  dryRun: boolean;
  mode: RollMode;
  summary: RollImportSummary;
  rows: RollImportRow[];
}

export interface RollImportInput {
  content: string;
  format: RollFileFormat;
  mode: RollMode;
  dryRun: boolean;
}

/** Applying a file with rejected rows (422, `errors.rows`): nothing changes; the dry run says what to fix. */
export class RollRowsRejectedError extends RuleBrokenError {
  constructor(readonly lines: Array<number | null>) {
    const shown = lines.slice(0, 20).join(', ');
    super(
      'roll_rows_rejected',
      'rows',
      `${lines.length} row(s) of the file are rejected (lines ${shown}${lines.length > 20 ? ', …' : ''}): nothing was imported. Run a dry run to see why, correct the file and import it again`,
    );
  }
}

/** Rows per statement: well under both engines' bound on parameters (SQLite 32,766; PostgreSQL 65,535). */
const CHUNK = 400;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

interface RollEntry {
  enrolmentId: string;
  pupilId: string;
  type: EnrolmentType;
  upn: string;
}

/** What applying a file will do, worked out against the database without changing it. */
interface RollPlan {
  result: RollImportResult;
  households: Household[];
  newPupils: Pupil[];
  pupilChanges: Array<{ id: string; changes: Partial<Pupil> }>;
  contactDetails: PupilContactDetails[];
  newEnrolments: Enrolment[];
  endEnrolmentIds: string[];
}

const CONTACT_COLUMNS = [
  'address_line1',
  'address_line2',
  'town',
  'postcode',
  'contacts',
  'organisation_id',
  'updated_at',
];

/**
 * The roll import (API.md, "The roll"; docs/accounts.md, "roll"). Pupils are matched by UPN across the
 * local authority and enrolled, never duplicated; a full import ends the enrolments of pupils not in
 * the file on the import's day (nothing is deleted). A dry run only reads. Applying runs in one
 * transaction, refused whole (422) when any row is rejected, with every statement batched (a few
 * hundred rows each), and is audited as `roll.imported` with the counts only.
 */
@Injectable()
export class RollImportService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly accessPolicy: AccessPolicy,
    private readonly audit: AuditService,
    private readonly organisations: OrganisationsService,
  ) {}

  /** 403/404 before anything is read (a page asks this before it takes a file). */
  async assertMayImport(actor: Actor, organisationId: string): Promise<void> {
    const organisation = await this.organisations.findOrganisation(organisationId);
    this.accessPolicy.assertMayImportRoll(actor, organisation);
  }

  /** The schools and PRUs the actor may import into (an admin chooses one; others have their own). */
  async importableOrganisations(actor: Actor): Promise<Array<{ id: string; name: string; nameCy: string | null }>> {
    this.accessPolicy.require(actor, 'roll.import');
    const scope =
      actor.role === 'admin' ? { localAuthorityId: actor.localAuthorityId } : { organisationId: actor.organisationId };
    const settings = await this.organisations.settingsInScope(this.unitOfWork.manager, scope);
    return settings.map(({ id, name, nameCy }) => ({ id, name, nameCy }));
  }

  async import(actor: Actor, organisationId: string, input: RollImportInput): Promise<RollImportResult> {
    const organisation = await this.organisations.findOrganisation(organisationId);
    this.accessPolicy.assertMayImportRoll(actor, organisation);
    const localAuthorityId = organisation!.localAuthorityId!;
    const today = londonDateOf(new Date());
    const checked = checkRollRows(readRollFile(input.content, input.format), today);
    if (input.dryRun)
      return this.unitOfWork.read(
        async (manager) => (await this.plan(manager, organisationId, localAuthorityId, checked, input, today)).result,
      );
    return this.unitOfWork.run(async (manager) => {
      // Two imports into one LA at once could both add the same new UPN: one waits for the other.
      await this.unitOfWork.lock(manager, DatabaseLock.RollImport, localAuthorityId);
      const plan = await this.plan(manager, organisationId, localAuthorityId, checked, input, today);
      if (plan.result.summary.rejected > 0)
        throw new RollRowsRejectedError(
          plan.result.rows.filter((row) => row.action === 'rejected').map((row) => row.line),
        );
      await this.apply(manager, plan, today);
      const { summary } = plan.result;
      await this.audit.record(
        manager,
        actor,
        'roll.imported',
        { type: 'organisation', id: organisationId },
        { mode: input.mode, format: input.format, ...summary },
      );
      return plan.result;
    });
  }

  private async plan(
    manager: EntityManager,
    organisationId: string,
    localAuthorityId: string,
    checked: CheckedRow[],
    input: RollImportInput,
    today: string,
  ): Promise<RollPlan> {
    const valid = checked.flatMap((row) => (row.ok ? [row.pupil] : []));
    const existing = await this.pupilsByUpn(
      manager,
      valid.map((row) => row.upn),
    );
    const roll = await this.currentRoll(manager, organisationId);
    const rollByPupil = new Map(roll.map((entry) => [entry.pupilId, entry]));
    const elsewhere = await this.knownOnlyElsewhere(
      manager,
      [...existing.values()].filter((pupil) => !rollByPupil.has(pupil.id)).map((pupil) => pupil.id),
      localAuthorityId,
    );
    const heldContacts = await this.contactDetailsOf(
      manager,
      valid.filter((row) => row.contactDetails).flatMap((row) => existing.get(row.upn)?.id ?? []),
    );
    const households = this.householdsFor(valid, existing);

    const now = new Date();
    const plan: RollPlan = {
      result: {
        dryRun: input.dryRun,
        mode: input.mode,
        summary: { added: 0, updated: 0, unchanged: 0, left: 0, rejected: 0 },
        rows: [],
      },
      households: [...households.created.values()],
      newPupils: [],
      pupilChanges: [],
      contactDetails: [],
      newEnrolments: [],
      endEnrolmentIds: [],
    };
    const startOf = (row: RollPupil) => (row.admissionDate && row.admissionDate <= today ? row.admissionDate : today);
    const enrol = (pupilId: string, row: RollPupil, startedOn: string) =>
      plan.newEnrolments.push(
        Object.assign(new Enrolment(), {
          id: newId(),
          pupilId,
          organisationId,
          type: row.enrolmentType,
          startedOn,
          endedOn: null,
          createdAt: now,
        }),
      );
    const details = (pupilId: string, row: RollPupil): PupilContactDetails =>
      Object.assign(new PupilContactDetails(), {
        pupilId,
        ...row.contactDetails!.address,
        contacts: row.contactDetails!.contacts,
        organisationId,
        updatedAt: now,
      });

    const pushRow = (row: RollImportRow) => {
      plan.result.rows.push(row);
      plan.result.summary[row.action] += 1;
    };
    for (const row of checked) {
      if (!row.ok) {
        pushRow({ line: row.line, upn: row.upn, action: 'rejected', problems: row.problems });
        continue;
      }
      const pupil = row.pupil;
      const names = { firstName: pupil.firstName, lastName: pupil.lastName };
      const householdId = pupil.family === undefined ? undefined : households.byFamily.get(pupil.family);
      const known = existing.get(pupil.upn);
      if (!known) {
        const id = newId();
        plan.newPupils.push(
          Object.assign(new Pupil(), {
            id,
            upn: pupil.upn,
            firstName: pupil.firstName,
            lastName: pupil.lastName,
            preferredName: pupil.preferredName ?? null,
            dateOfBirth: pupil.dateOfBirth,
            gender: pupil.gender ?? 'not_stated',
            yearGroup: pupil.yearGroup,
            homeLanguage: pupil.homeLanguage ?? '',
            householdId: householdId ?? null,
            createdAt: now,
          }),
        );
        enrol(id, pupil, startOf(pupil));
        if (pupil.contactDetails) plan.contactDetails.push(details(id, pupil));
        pushRow({ line: pupil.line, upn: pupil.upn, ...names, action: 'added' });
        continue;
      }
      if (elsewhere.has(known.id)) {
        pushRow({ line: pupil.line, upn: pupil.upn, ...names, action: 'rejected', problems: ['upn_other_authority'] });
        continue;
      }
      const changes = pupilChanges(known, pupil, householdId);
      if (changes) plan.pupilChanges.push({ id: known.id, changes });
      const held = heldContacts.get(known.id);
      const contactsChanged = pupil.contactDetails !== undefined && !sameContactDetails(held, pupil);
      if (contactsChanged) plan.contactDetails.push(details(known.id, pupil));
      const onRoll = rollByPupil.get(known.id);
      if (!onRoll) {
        enrol(known.id, pupil, startOf(pupil));
        pushRow({ line: pupil.line, upn: pupil.upn, ...names, action: 'added' });
      } else {
        const typeChanged = onRoll.type !== pupil.enrolmentType;
        if (typeChanged) {
          plan.endEnrolmentIds.push(onRoll.enrolmentId);
          enrol(known.id, pupil, today);
        }
        const action = changes || contactsChanged || typeChanged ? 'updated' : 'unchanged';
        pushRow({ line: pupil.line, upn: pupil.upn, ...names, action });
      }
    }
    if (input.mode === 'full') {
      const inFile = new Set(checked.map((row) => (row.ok ? row.pupil.upn : row.upn)));
      const leavers = roll.filter((entry) => !inFile.has(entry.upn)).sort((a, b) => a.upn.localeCompare(b.upn));
      for (const entry of leavers) {
        plan.endEnrolmentIds.push(entry.enrolmentId);
        pushRow({ line: null, upn: entry.upn, action: 'left' });
      }
    }
    return plan;
  }

  private async apply(manager: EntityManager, plan: RollPlan, today: string): Promise<void> {
    for (const chunk of chunks(plan.households)) await manager.insert(Household, chunk);
    // Through TypeORM's insert, so PupilSearchSubscriber fills each row's search columns.
    for (const chunk of chunks(plan.newPupils, 200)) await manager.insert(Pupil, chunk);
    for (const { id, changes } of plan.pupilChanges) await manager.update(Pupil, { id }, changes);
    for (const chunk of chunks(plan.endEnrolmentIds))
      await manager
        .createQueryBuilder()
        .update(Enrolment)
        .set({ endedOn: today })
        .where('id IN (:...ids)', { ids: chunk })
        .execute();
    for (const chunk of chunks(plan.newEnrolments)) await manager.insert(Enrolment, chunk);
    for (const chunk of chunks(plan.contactDetails))
      await manager
        .createQueryBuilder()
        .insert()
        .into(PupilContactDetails)
        .values(chunk)
        .orUpdate(CONTACT_COLUMNS, ['pupil_id'])
        .execute();
  }

  private async pupilsByUpn(manager: EntityManager, upns: string[]): Promise<Map<string, Pupil>> {
    const found = new Map<string, Pupil>();
    for (const chunk of chunks(upns))
      for (const pupil of await manager.getRepository(Pupil).find({ where: { upn: In(chunk) } }))
        found.set(pupil.upn, pupil);
    return found;
  }

  /** The organisation's current enrolments with each pupil's UPN, in one query (idx_enrolments_current_roll). */
  private async currentRoll(manager: EntityManager, organisationId: string): Promise<RollEntry[]> {
    const rows: RollEntry[] = await manager
      .getRepository(Enrolment)
      .createQueryBuilder('enrolment')
      .innerJoin(Pupil, 'pupil', 'pupil.id = enrolment.pupil_id')
      .select('enrolment.id', 'enrolmentId')
      .addSelect('enrolment.pupil_id', 'pupilId')
      .addSelect('enrolment.type', 'type')
      .addSelect('pupil.upn', 'upn')
      .where('enrolment.organisation_id = :organisationId AND enrolment.ended_on IS NULL', { organisationId })
      .orderBy('enrolment.started_on', 'ASC')
      .getRawMany();
    const seen = new Set<string>();
    return rows.filter((row) => !seen.has(row.pupilId) && Boolean(seen.add(row.pupilId)));
  }

  /**
   * Of these pupils, those whose every enrolment (past or present) is at another local authority's
   * organisations: their UPN is not this LA's to import (a transfer brings them), so the row is rejected.
   */
  private async knownOnlyElsewhere(
    manager: EntityManager,
    pupilIds: string[],
    localAuthorityId: string,
  ): Promise<Set<string>> {
    if (pupilIds.length === 0) return new Set();
    const ours = new Set(
      (await this.organisations.settingsInScope(manager, { localAuthorityId })).map((organisation) => organisation.id),
    );
    const seenHere = new Set<string>();
    const seenAnywhere = new Set<string>();
    for (const chunk of chunks(pupilIds)) {
      const rows = await manager
        .getRepository(Enrolment)
        .find({ select: { pupilId: true, organisationId: true }, where: { pupilId: In(chunk) } });
      for (const row of rows) {
        seenAnywhere.add(row.pupilId);
        if (ours.has(row.organisationId)) seenHere.add(row.pupilId);
      }
    }
    return new Set([...seenAnywhere].filter((id) => !seenHere.has(id)));
  }

  private async contactDetailsOf(
    manager: EntityManager,
    pupilIds: string[],
  ): Promise<Map<string, PupilContactDetails>> {
    const found = new Map<string, PupilContactDetails>();
    for (const chunk of chunks(pupilIds))
      for (const row of await manager.getRepository(PupilContactDetails).find({ where: { pupilId: In(chunk) } }))
        found.set(row.pupilId, row);
    return found;
  }

  /**
   * A household for each `Family` value in the file: the one a pupil of that family already belongs
   * to, else a new one (labelled with the value). Rows without the column keep what the pupil has.
   */
  private householdsFor(
    rows: RollPupil[],
    existing: Map<string, Pupil>,
  ): { byFamily: Map<string, string>; created: Map<string, Household> } {
    const byFamily = new Map<string, string>();
    for (const row of rows) {
      const householdId = existing.get(row.upn)?.householdId;
      if (row.family !== undefined && householdId && !byFamily.has(row.family)) byFamily.set(row.family, householdId);
    }
    const created = new Map<string, Household>();
    for (const row of rows) {
      if (row.family === undefined || byFamily.has(row.family)) continue;
      const household = Object.assign(new Household(), { id: newId(), label: row.family, createdAt: new Date() });
      created.set(row.family, household);
      byFamily.set(row.family, household.id);
    }
    return { byFamily, created };
  }
}

/** The columns the file changes on a known pupil, or null when it changes none. */
function pupilChanges(pupil: Pupil, row: RollPupil, householdId: string | undefined): Partial<Pupil> | null {
  const changes: Partial<Pupil> = {};
  const preferredName = row.preferredName === undefined ? pupil.preferredName : row.preferredName;
  if (pupil.firstName !== row.firstName || pupil.lastName !== row.lastName || pupil.preferredName !== preferredName)
    Object.assign(changes, { firstName: row.firstName, lastName: row.lastName, preferredName });
  if (pupil.dateOfBirth !== row.dateOfBirth) changes.dateOfBirth = row.dateOfBirth;
  if (row.gender !== undefined && pupil.gender !== row.gender) changes.gender = row.gender;
  if (pupil.yearGroup !== row.yearGroup) changes.yearGroup = row.yearGroup;
  if (row.homeLanguage !== undefined && pupil.homeLanguage !== row.homeLanguage)
    changes.homeLanguage = row.homeLanguage;
  if (householdId !== undefined && pupil.householdId !== householdId) changes.householdId = householdId;
  return Object.keys(changes).length ? changes : null;
}

function sameContactDetails(held: PupilContactDetails | undefined, row: RollPupil): boolean {
  if (!held || !row.contactDetails) return false;
  const { address, contacts } = row.contactDetails;
  return (
    held.addressLine1 === address.addressLine1 &&
    held.addressLine2 === address.addressLine2 &&
    held.town === address.town &&
    held.postcode === address.postcode &&
    sameContacts(held.contacts, contacts)
  );
}

function sameContacts(a: PupilContact[], b: PupilContact[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (contact, i) =>
        contact.name === b[i].name &&
        (contact.relationship ?? null) === b[i].relationship &&
        (contact.parentalResponsibility ?? null) === b[i].parentalResponsibility &&
        (contact.phone ?? null) === b[i].phone,
    )
  );
}
