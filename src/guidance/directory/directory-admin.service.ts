import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccessPolicy } from '../../access/access-policy';
import { AuditService } from '../../audit/audit.service';
import { Actor } from '../../common/actor';
import { FieldErrors, InvalidInputError, NotFoundError } from '../../common/domain-error';
import { DirectoryError, DirectoryRuleError } from './directory-errors';
import { newId } from '../../common/ids';
import { fieldErrorsOf } from '../../common/validation';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  DIRECTORY_TEXT_LIMITS,
  DirectoryEntryDto,
  EarlyHelpResponseDto,
  NewDirectoryEntryDto,
  SERVICE_CODE_PATTERN,
  ThresholdsDto,
} from './dto/directory-entry.dto';
import { UnitOfWork } from '../../database/unit-of-work';
import { GUIDANCE_LEVELS, GuidanceLevel, ISSUE_CODES, IssueCode } from '../codes';
import { DEFAULT_THRESHOLDS, GuidanceThresholds, levelInRange, severity } from '../guidance-engine';
import { DirectoryService, EARLY_HELP_RESPONSE_DAYS, TUNABLE_THRESHOLDS } from './directory.service';
import { GuidanceSettings } from './guidance-settings.entity';
import { ServiceDirectoryEntryRecord } from './service-directory-entry.entity';

export { DIRECTORY_TEXT_LIMITS, SERVICE_CODE_PATTERN };

/** Levels in severity order (1 < 2 < 3 < 4 < 0), as level ranges read. */
export const LEVELS_BY_SEVERITY: readonly GuidanceLevel[] = [...GUIDANCE_LEVELS].sort(
  (a, b) => severity(a) - severity(b),
);

/** Levels whose answers must always list at least one service (DOMAIN.md: an untagged service for 2 and for 3). */
export const GUARANTEED_LEVELS: readonly GuidanceLevel[] = [2, 3];

export type TunableThreshold = keyof typeof TUNABLE_THRESHOLDS;
export const TUNABLE_THRESHOLD_KEYS = Object.keys(TUNABLE_THRESHOLDS) as TunableThreshold[];

/** The fixed, level-4 thresholds: shown, never editable (configuration cannot lower a level-4 rule). */
export const FIXED_THRESHOLDS = {
  repeatMashCount: DEFAULT_THRESHOLDS.repeatMashCount,
  repeatMashMonths: DEFAULT_THRESHOLDS.repeatMashMonths,
} as const;

/** One service as a form gives it. Everything is checked here, so a page can pass what was typed. */
export interface DirectoryEntryFields {
  nameEn: string;
  nameCy: string;
  descriptionEn: string;
  descriptionCy: string;
  howToAccessEn: string;
  howToAccessCy: string;
  minLevel: number;
  maxLevel: number;
  issueTags: string[];
  active: boolean;
}

export interface NewDirectoryEntry extends DirectoryEntryFields {
  code: string;
}

export interface DirectoryEntryView {
  id: string;
  code: string;
  nameEn: string;
  nameCy: string;
  descriptionEn: string;
  descriptionCy: string;
  howToAccessEn: string;
  howToAccessCy: string;
  minLevel: GuidanceLevel;
  maxLevel: GuidanceLevel;
  issueTags: IssueCode[];
  active: boolean;
  updatedAt: string;
  updatedByName: string;
}

export interface ThresholdView {
  key: TunableThreshold;
  value: number;
  defaultValue: number;
  min: number;
  max: number;
}

export interface DirectoryOverview {
  entries: DirectoryEntryView[];
  thresholds: ThresholdView[];
  fixed: typeof FIXED_THRESHOLDS;
  /** Early help's response time in working days, with its bounds and default. */
  earlyHelpResponseDays: { value: number; min: number; max: number; defaultValue: number };
}

const ENTRY_FIELDS: ReadonlyArray<keyof DirectoryEntryFields> = [
  'nameEn',
  'nameCy',
  'descriptionEn',
  'descriptionCy',
  'howToAccessEn',
  'howToAccessCy',
  'minLevel',
  'maxLevel',
  'issueTags',
  'active',
];

type Candidate = Pick<ServiceDirectoryEntryRecord, 'id' | 'minLevel' | 'maxLevel' | 'issueTags' | 'active'>;

/**
 * The local authority lead's side of the services directory and the guidance thresholds
 * (DOMAIN.md: "a local authority can tune thresholds and services in configuration, but never lower a
 * level-4 or level-0 rule"). Every change is scoped to the actor's own authority, keeps the directory's
 * guarantee (an untagged service for level 2 and one for level 3) and is audited in its transaction.
 * The first change copies the product's default directory into the authority's own.
 */
@Injectable()
export class DirectoryAdminService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly accessPolicy: AccessPolicy,
    private readonly audit: AuditService,
    private readonly directory: DirectoryService,
  ) {}

  /** Every entry (withdrawn ones too) and the thresholds with their bounds. */
  async overview(actor: Actor): Promise<DirectoryOverview> {
    this.accessPolicy.require(actor, 'directory.manage');
    return this.unitOfWork.run(async (manager) => {
      const records = await this.ownDirectory(manager, actor);
      return {
        entries: records.map(toView),
        thresholds: await this.thresholdViews(manager, actor.localAuthorityId),
        fixed: FIXED_THRESHOLDS,
        earlyHelpResponseDays: {
          value: await this.directory.earlyHelpResponseDaysFor(manager, actor.localAuthorityId),
          min: EARLY_HELP_RESPONSE_DAYS.min,
          max: EARLY_HELP_RESPONSE_DAYS.max,
          defaultValue: EARLY_HELP_RESPONSE_DAYS.default,
        },
      };
    });
  }

  async get(actor: Actor, id: string): Promise<DirectoryEntryView> {
    this.accessPolicy.require(actor, 'directory.manage');
    return this.unitOfWork.run(async (manager) => {
      await this.ownDirectory(manager, actor);
      return toView(await this.entryOf(manager, actor, id));
    });
  }

  /** Refuses (403) anyone but the LA lead: the editor's forms ask before they check what was typed. */
  assertMayManage(actor: Actor): void {
    this.accessPolicy.require(actor, 'directory.manage');
  }

  /** What the form for a new service starts with. */
  blank(actor: Actor): NewDirectoryEntry {
    this.accessPolicy.require(actor, 'directory.manage');
    return {
      code: '',
      nameEn: '',
      nameCy: '',
      descriptionEn: '',
      descriptionCy: '',
      howToAccessEn: '',
      howToAccessCy: '',
      minLevel: 2,
      maxLevel: 3,
      issueTags: [],
      active: true,
    };
  }

  async add(actor: Actor, input: NewDirectoryEntry): Promise<DirectoryEntryView> {
    this.accessPolicy.require(actor, 'directory.manage');
    const errors = validateFields(input, NewDirectoryEntryDto);
    if (Object.keys(errors).length) throw new InvalidInputError(errors);
    assertRangeOrder(input);
    return this.unitOfWork.run(async (manager) => {
      const records = await this.ownDirectory(manager, actor);
      if (records.some((record) => record.code === input.code)) {
        throw new DirectoryRuleError(DirectoryError.CodeTaken, { code: input.code });
      }
      const record: ServiceDirectoryEntryRecord = {
        id: newId(),
        localAuthorityId: actor.localAuthorityId,
        code: input.code,
        ...fieldsOf(input),
        position: records.reduce((last, entry) => Math.max(last, entry.position), -1) + 1,
        updatedAt: new Date(),
        updatedByName: actor.name,
      };
      assertGuarantees([...records, record], null, record);
      await manager.getRepository(ServiceDirectoryEntryRecord).insert(record);
      await this.audit.record(
        manager,
        actor,
        'directory.updated',
        { type: 'organisation', id: actor.localAuthorityId },
        {
          change: 'added',
          entryId: record.id,
          code: record.code,
          fields: [...ENTRY_FIELDS],
        },
      );
      return toView(record);
    });
  }

  /** Changes a service's text, level range, tags or whether it is offered; its code never changes. */
  async update(actor: Actor, id: string, input: DirectoryEntryFields): Promise<DirectoryEntryView> {
    this.accessPolicy.require(actor, 'directory.manage');
    const errors = validateFields(input);
    if (Object.keys(errors).length) throw new InvalidInputError(errors);
    assertRangeOrder(input);
    return this.change(actor, id, 'updated', fieldsOf(input));
  }

  /** Stops offering a service; it stays on record for what earlier guidance showed. */
  async withdraw(actor: Actor, id: string): Promise<DirectoryEntryView> {
    this.accessPolicy.require(actor, 'directory.manage');
    return this.change(actor, id, 'withdrawn', { active: false });
  }

  async restore(actor: Actor, id: string): Promise<DirectoryEntryView> {
    this.accessPolicy.require(actor, 'directory.manage');
    return this.change(actor, id, 'restored', { active: true });
  }

  /** Tunes the level-3 history triggers within their bounds; the level-4 ones are not editable. */
  async updateThresholds(actor: Actor, values: Record<string, unknown>): Promise<ThresholdView[]> {
    this.accessPolicy.require(actor, 'directory.manage');
    const given = Object.entries(values ?? {}).filter(([, value]) => value !== undefined);
    const known = given.filter(([key]) => key in TUNABLE_THRESHOLDS);
    // The bounds are ThresholdsDto's (the page checks the form with it too); other keys are refused here.
    const errors: FieldErrors = fieldErrorsOf(validateSync(plainToInstance(ThresholdsDto, Object.fromEntries(known))));
    for (const [key] of given.filter(([key]) => !(key in TUNABLE_THRESHOLDS)))
      errors[key] = [
        key in FIXED_THRESHOLDS
          ? `${key} is fixed: configuration cannot lower a level-4 rule`
          : `${key} is not a threshold`,
      ];
    if (Object.keys(errors).length) throw new InvalidInputError(errors);
    const changes = Object.fromEntries(known) as Partial<Record<TunableThreshold, number>>;
    return this.unitOfWork.run(async (manager) => {
      await this.lockDirectory(manager, actor.localAuthorityId);
      const current = await this.directory.thresholdsFor(manager, actor.localAuthorityId);
      const changed = TUNABLE_THRESHOLD_KEYS.filter(
        (key) => changes[key] !== undefined && changes[key] !== current[key],
      );
      if (changed.length) {
        const thresholds = Object.fromEntries(
          TUNABLE_THRESHOLD_KEYS.map((key) => [key, changes[key] ?? current[key]]),
        ) as Record<string, number>;
        const repository = manager.getRepository(GuidanceSettings);
        const row = {
          localAuthorityId: actor.localAuthorityId,
          thresholds,
          updatedAt: new Date(),
          updatedByName: actor.name,
        };
        if (await repository.findOne({ where: { localAuthorityId: actor.localAuthorityId } })) {
          await repository.update(
            { localAuthorityId: actor.localAuthorityId },
            { thresholds, updatedAt: row.updatedAt, updatedByName: row.updatedByName },
          );
        } else {
          await repository.insert(row);
        }
        await this.audit.record(
          manager,
          actor,
          'guidance_settings.updated',
          { type: 'organisation', id: actor.localAuthorityId },
          { changed, ...thresholds },
        );
      }
      return this.thresholdViews(manager, actor.localAuthorityId);
    });
  }

  /**
   * Sets early help's response time (whole working days, 1 to 30): referrals sent from now on are due
   * that many working days after they are sent; those already sent keep their due time.
   */
  async updateEarlyHelpResponseDays(actor: Actor, value: unknown): Promise<number> {
    this.accessPolicy.require(actor, 'directory.manage');
    const errors: FieldErrors = fieldErrorsOf(
      validateSync(plainToInstance(EarlyHelpResponseDto, { earlyHelpResponseDays: value })),
    );
    if (Object.keys(errors).length) throw new InvalidInputError(errors);
    const days = value as number;
    return this.unitOfWork.run(async (manager) => {
      await this.lockDirectory(manager, actor.localAuthorityId);
      const repository = manager.getRepository(GuidanceSettings);
      const row = await repository.findOne({ where: { localAuthorityId: actor.localAuthorityId } });
      if (row?.earlyHelpResponseDays === days) return days;
      const updatedAt = new Date();
      if (row) {
        await repository.update(
          { localAuthorityId: actor.localAuthorityId },
          { earlyHelpResponseDays: days, updatedAt, updatedByName: actor.name },
        );
      } else {
        await repository.insert({
          localAuthorityId: actor.localAuthorityId,
          thresholds: {},
          earlyHelpResponseDays: days,
          updatedAt,
          updatedByName: actor.name,
        });
      }
      await this.audit.record(
        manager,
        actor,
        'guidance_settings.updated',
        { type: 'organisation', id: actor.localAuthorityId },
        { changed: ['earlyHelpResponseDays'], earlyHelpResponseDays: days },
      );
      return days;
    });
  }

  // -------------------------------------------------------------------------------------------

  private change(
    actor: Actor,
    id: string,
    change: 'updated' | 'withdrawn' | 'restored',
    fields: Partial<ServiceDirectoryEntryRecord>,
  ) {
    return this.unitOfWork.run(async (manager) => {
      const records = await this.ownDirectory(manager, actor);
      const before = await this.entryOf(manager, actor, id);
      const after: ServiceDirectoryEntryRecord = { ...before, ...fields };
      const changedFields = ENTRY_FIELDS.filter((field) => !sameValue(before[field], after[field]));
      if (!changedFields.length) return toView(before);
      assertGuarantees(
        records.map((record) => (record.id === id ? after : record)),
        before,
        after,
      );
      after.updatedAt = new Date();
      after.updatedByName = actor.name;
      await manager
        .getRepository(ServiceDirectoryEntryRecord)
        .update(
          { id, localAuthorityId: actor.localAuthorityId },
          { ...fields, updatedAt: after.updatedAt, updatedByName: after.updatedByName },
        );
      await this.audit.record(
        manager,
        actor,
        'directory.updated',
        { type: 'organisation', id: actor.localAuthorityId },
        {
          change,
          entryId: id,
          code: before.code,
          fields: changedFields,
        },
      );
      return toView(after);
    });
  }

  /**
   * The authority's own directory, copied from the defaults the first time: under a lock on the
   * authority's row (PostgreSQL), so two first edits cannot both copy it and two edits cannot together
   * break the guarantee each checked alone. SQLite transactions are already queued one at a time.
   * (NO KEY UPDATE: other writers' foreign-key checks on the authority's row are not held up.)
   */
  private async ownDirectory(manager: EntityManager, actor: Actor): Promise<ServiceDirectoryEntryRecord[]> {
    await this.lockDirectory(manager, actor.localAuthorityId);
    const repository = manager.getRepository(ServiceDirectoryEntryRecord);
    const find = () =>
      repository.find({ where: { localAuthorityId: actor.localAuthorityId }, order: { position: 'ASC', code: 'ASC' } });
    const records = await find();
    if (records.length) return records;
    await this.directory.seedDefaults(manager, actor.localAuthorityId, actor.name);
    return find();
  }

  private async lockDirectory(manager: EntityManager, localAuthorityId: string): Promise<void> {
    if (this.unitOfWork.engine === 'postgres')
      await manager.query('SELECT id FROM organisations WHERE id = $1 FOR NO KEY UPDATE', [localAuthorityId]);
  }

  /** An entry of the actor's own authority; another authority's looks missing. */
  private async entryOf(manager: EntityManager, actor: Actor, id: string): Promise<ServiceDirectoryEntryRecord> {
    const record = await manager
      .getRepository(ServiceDirectoryEntryRecord)
      .findOne({ where: { id, localAuthorityId: actor.localAuthorityId } });
    if (!record) throw new NotFoundError('Service');
    return record;
  }

  private async thresholdViews(manager: EntityManager, localAuthorityId: string): Promise<ThresholdView[]> {
    const current: GuidanceThresholds = await this.directory.thresholdsFor(manager, localAuthorityId);
    return TUNABLE_THRESHOLD_KEYS.map((key) => ({
      key,
      value: current[key],
      defaultValue: DEFAULT_THRESHOLDS[key],
      ...TUNABLE_THRESHOLDS[key],
    }));
  }
}

// ---------------------------------------------------------------------------------------------

function toView(record: ServiceDirectoryEntryRecord): DirectoryEntryView {
  return {
    id: record.id,
    code: record.code,
    nameEn: record.nameEn,
    nameCy: record.nameCy,
    descriptionEn: record.descriptionEn,
    descriptionCy: record.descriptionCy,
    howToAccessEn: record.howToAccessEn,
    howToAccessCy: record.howToAccessCy,
    minLevel: record.minLevel,
    maxLevel: record.maxLevel,
    issueTags: [...(record.issueTags ?? [])],
    active: Boolean(record.active),
    updatedAt: new Date(record.updatedAt).toISOString(),
    updatedByName: record.updatedByName,
  };
}

function fieldsOf(input: DirectoryEntryFields) {
  return {
    nameEn: input.nameEn,
    nameCy: input.nameCy,
    descriptionEn: input.descriptionEn,
    descriptionCy: input.descriptionCy,
    howToAccessEn: input.howToAccessEn,
    howToAccessCy: input.howToAccessCy,
    minLevel: input.minLevel as GuidanceLevel,
    maxLevel: input.maxLevel as GuidanceLevel,
    // Stored in the catalogue's order, so the same choice always reads the same.
    issueTags: ISSUE_CODES.filter((code) => input.issueTags.includes(code)),
    active: input.active,
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((value) => b.includes(value));
  if (typeof a === 'boolean' || typeof b === 'boolean') return Boolean(a) === Boolean(b);
  return a === b;
}

/** Malformed input (400): every field's problem at once, by DirectoryEntryDto's rules (the page form's too). */
function validateFields(input: DirectoryEntryFields | NewDirectoryEntry, type = DirectoryEntryDto): FieldErrors {
  return fieldErrorsOf(validateSync(plainToInstance(type, { ...input })));
}

/** A level range reads in severity order: 1 < 2 < 3 < 4 < 0. */
function assertRangeOrder(input: DirectoryEntryFields): void {
  if (severity(input.minLevel as GuidanceLevel) > severity(input.maxLevel as GuidanceLevel)) {
    throw new DirectoryRuleError(DirectoryError.LevelRangeOrder);
  }
}

/**
 * DOMAIN.md: each directory has at least one active, untagged service whose range includes level 2 and
 * one whose range includes level 3, so those answers always list something. `after` is the entry the
 * change made; the error names the field of it whose change broke the guarantee.
 */
function assertGuarantees(directory: Candidate[], before: Candidate | null, after: Candidate): void {
  for (const level of GUARANTEED_LEVELS) {
    const covered = directory.some(
      (entry) => entry.active && !(entry.issueTags ?? []).length && levelInRange(level, entry.minLevel, entry.maxLevel),
    );
    if (covered) continue;
    throw new DirectoryRuleError(DirectoryError.NeedsUntaggedService, {
      level,
      field: fieldThatBroke(before, after, level),
    });
  }
}

function fieldThatBroke(before: Candidate | null, after: Candidate, level: GuidanceLevel): string {
  if (before && before.active && !after.active) return 'active';
  if (before && !(before.issueTags ?? []).length && (after.issueTags ?? []).length) return 'issueTags';
  if (!levelInRange(level, after.minLevel, after.maxLevel))
    return severity(level) < severity(after.minLevel) ? 'minLevel' : 'maxLevel';
  return 'active';
}
