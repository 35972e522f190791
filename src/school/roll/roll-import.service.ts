import { Injectable } from '@nestjs/common';
import { EntityManager, In, IsNull, Not } from 'typeorm';
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
import { foldForSearch } from '../pupil-search';
import { Pupil } from '../pupil.entity';
import { PupilContact, PupilContactDetails } from './contact-details.entity';
import { readRollFile, RollFileFormat } from './roll-file';
import { CheckedRow, checkRollRows, RollProblem, RollPupil } from './roll-rows';

export const ROLL_MODES = ['full', 'partial'] as const;
export type RollMode = (typeof ROLL_MODES)[number];

export const ROLL_ACTIONS = ['added', 'updated', 'unchanged', 'left', 'rejected'] as const;
export type RollAction = (typeof ROLL_ACTIONS)[number];

/**
 * One row of the answer: a file row (its line), or a pupil who left (line null). A file row's names are
 * the file's (a rejected row's as written, when it has any); a leaver's are the roll's.
 */
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
  firstName: string;
  lastName: string;
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

const CONTACT_COLUMNS = ['address_line1', 'address_line2', 'town', 'postcode', 'contacts', 'updated_at'];

/** A surname as the match by UPN compares it: case, accents and spaces ignored ("Ap  Siôn" = "apsion"). */
export function surnameKey(surname: string): string {
  return foldForSearch(surname).replace(/ /g, '');
}

/**
 * The roll import (API.md, "The roll"; docs/accounts.md, "roll"). Pupils are matched by UPN across the
 * local authority and enrolled, never duplicated; a full import ends the enrolments of pupils not in
 * the file on the import's day (nothing is deleted). A UPN is guessable, so a pupil not on this roll is
 * matched only when the row's surname and date of birth agree with the pupil's (else the row is
 * rejected), and a pupil enrolled at another organisation too keeps their names, date of birth, gender
 * and household whatever this file says; address and contacts are kept per organisation. A dry run only reads. Applying runs in one
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
    const shared = await this.enrolledElsewhere(
      manager,
      [...existing.values()].map((pupil) => pupil.id),
      organisationId,
    );
    const heldContacts = await this.contactDetailsOf(
      manager,
      valid.filter((row) => row.contactDetails).flatMap((row) => existing.get(row.upn)?.id ?? []),
      organisationId,
    );
    const households = this.householdsFor(valid, existing, shared);

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
        const written = {
          ...(row.firstName ? { firstName: row.firstName } : {}),
          ...(row.lastName ? { lastName: row.lastName } : {}),
        };
        pushRow({ line: row.line, upn: row.upn, ...written, action: 'rejected', problems: row.problems });
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
      const onRoll = rollByPupil.get(known.id);
      // A UPN is guessable: a pupil not on this roll is theirs only if the file knows who the pupil is.
      if (!onRoll && !sameIdentity(known, pupil)) {
        pushRow({ line: pupil.line, upn: pupil.upn, ...names, action: 'rejected', problems: ['upn_details_differ'] });
        continue;
      }
      // A pupil on another roll too keeps what that school knows them by: this file changes only its year
      // group and home language (and this school's enrolment, address and contacts).
      const changes = pupilChanges(known, pupil, householdId, shared.has(known.id));
      if (changes) plan.pupilChanges.push({ id: known.id, changes });
      const held = heldContacts.get(known.id);
      const contactsChanged = pupil.contactDetails !== undefined && !sameContactDetails(held, pupil);
      if (contactsChanged) plan.contactDetails.push(details(known.id, pupil));
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
        pushRow({ line: null, upn: entry.upn, firstName: entry.firstName, lastName: entry.lastName, action: 'left' });
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
        .orUpdate(CONTACT_COLUMNS, ['pupil_id', 'organisation_id'])
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
      .addSelect('pupil.first_name', 'firstName')
      .addSelect('pupil.last_name', 'lastName')
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

  /** Of these pupils, those enrolled now at an organisation other than this one. */
  private async enrolledElsewhere(manager: EntityManager, pupilIds: string[], organisationId: string) {
    const found = new Set<string>();
    for (const chunk of chunks(pupilIds)) {
      const rows = await manager.getRepository(Enrolment).find({
        select: { pupilId: true },
        where: { pupilId: In(chunk), organisationId: Not(organisationId), endedOn: IsNull() },
      });
      for (const row of rows) found.add(row.pupilId);
    }
    return found;
  }

  /** What this organisation holds of these pupils' address and contacts (never another's row). */
  private async contactDetailsOf(
    manager: EntityManager,
    pupilIds: string[],
    organisationId: string,
  ): Promise<Map<string, PupilContactDetails>> {
    const found = new Map<string, PupilContactDetails>();
    for (const chunk of chunks(pupilIds))
      for (const row of await manager
        .getRepository(PupilContactDetails)
        .find({ where: { pupilId: In(chunk), organisationId } }))
        found.set(row.pupilId, row);
    return found;
  }

  /**
   * A household for each `Family` value in the file: the one a pupil of that family already belongs
   * to, else a new one (labelled with the value). Rows without the column keep what the pupil has. A
   * pupil on another roll too never lends their household (nor is moved out of it).
   */
  private householdsFor(
    rows: RollPupil[],
    existing: Map<string, Pupil>,
    shared: Set<string>,
  ): { byFamily: Map<string, string>; created: Map<string, Household> } {
    const byFamily = new Map<string, string>();
    for (const row of rows) {
      const pupil = existing.get(row.upn);
      const householdId = pupil && !shared.has(pupil.id) ? pupil.householdId : undefined;
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

/**
 * Whether a row names the pupil held under its UPN: the same date of birth, and the same surname with
 * case, accents and spaces ignored.
 */
function sameIdentity(pupil: Pupil, row: RollPupil): boolean {
  return pupil.dateOfBirth === row.dateOfBirth && surnameKey(pupil.lastName) === surnameKey(row.lastName);
}

/**
 * The columns the file changes on a known pupil, or null when it changes none. For a pupil enrolled at
 * another organisation too (`shared`), only the year group and home language: names, date of birth,
 * gender and household are what that school knows too, and one school's file never rewrites them.
 */
function pupilChanges(
  pupil: Pupil,
  row: RollPupil,
  householdId: string | undefined,
  shared: boolean,
): Partial<Pupil> | null {
  const changes: Partial<Pupil> = {};
  if (pupil.yearGroup !== row.yearGroup) changes.yearGroup = row.yearGroup;
  if (row.homeLanguage !== undefined && pupil.homeLanguage !== row.homeLanguage)
    changes.homeLanguage = row.homeLanguage;
  if (shared) return Object.keys(changes).length ? changes : null;
  const preferredName = row.preferredName === undefined ? pupil.preferredName : row.preferredName;
  if (pupil.firstName !== row.firstName || pupil.lastName !== row.lastName || pupil.preferredName !== preferredName)
    Object.assign(changes, { firstName: row.firstName, lastName: row.lastName, preferredName });
  if (pupil.dateOfBirth !== row.dateOfBirth) changes.dateOfBirth = row.dateOfBirth;
  if (row.gender !== undefined && pupil.gender !== row.gender) changes.gender = row.gender;
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
