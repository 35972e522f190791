import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { newId } from '../../common/ids';
import { hydrateJsonRow, JsonRowBranch, jsonRowOf, RowsOfTag, tableOf } from '../../database/json-rows';
import { CARDIFF_SERVICES } from '../cardiff-services';
import { DEFAULT_THRESHOLDS, GuidanceThresholds, ServiceDirectoryEntry } from '../guidance-engine';
import { GuidanceSettings } from './guidance-settings.entity';
import { ServiceDirectoryEntryRecord } from './service-directory-entry.entity';

/**
 * Which thresholds a local authority may tune, and within what bounds. Only the level-3 history
 * triggers are tunable: the level-4 and level-0 rules (statutory and emergency indicators, statutory
 * issues, sexual abuse, repeat MASH referrals) are fixed, so configuration can never lower them.
 */
export type TunableThresholdKey = keyof Omit<GuidanceThresholds, 'repeatMashCount' | 'repeatMashMonths'>;

export const TUNABLE_THRESHOLDS: Record<TunableThresholdKey, { min: number; max: number }> = {
  patternFrequencyCount: { min: 1, max: 10 },
  patternFrequencyDays: { min: 7, max: 365 },
  patternCategoriesCount: { min: 2, max: 5 },
  patternCategoriesDays: { min: 30, max: 365 },
  afterMashClosureMonths: { min: 1, max: 36 },
};

/**
 * Early help's response time in working days (DOMAIN.md, Timescales: no statutory clock, the local
 * authority's setting): the bounds the lead may set, and the default when unset.
 */
export const EARLY_HELP_RESPONSE_DAYS = { min: 1, max: 30, default: 5 } as const;

/** A stored setting as a usable number of working days: the default when unset or out of bounds. */
export function earlyHelpResponseDaysOf(value: number | null | undefined): number {
  return Number.isInteger(value) && value! >= EARLY_HELP_RESPONSE_DAYS.min && value! <= EARLY_HELP_RESPONSE_DAYS.max
    ? value!
    : EARLY_HELP_RESPONSE_DAYS.default;
}

export function toDirectoryEntry(record: ServiceDirectoryEntryRecord): ServiceDirectoryEntry {
  return {
    code: record.code,
    name: { en: record.nameEn, cy: record.nameCy },
    description: { en: record.descriptionEn, cy: record.descriptionCy },
    howToAccess: { en: record.howToAccessEn, cy: record.howToAccessCy },
    minLevel: record.minLevel,
    maxLevel: record.maxLevel,
    issueTags: record.issueTags,
  };
}

/** What the guidance engine needs of a local authority: its services directory and its thresholds. */
export interface GuidanceDirectory {
  services: ServiceDirectoryEntry[];
  thresholds: GuidanceThresholds;
}

/** The active entries, in the authority's order; the product's default directory until it has its own. */
function servicesOf(records: ServiceDirectoryEntryRecord[]): ServiceDirectoryEntry[] {
  if (records.length === 0) return CARDIFF_SERVICES;
  return records.filter((record) => record.active).map(toDirectoryEntry);
}

/** The authority's tuned thresholds over the defaults; the fixed (level-4) ones are always the defaults. */
function thresholdsOf(settings: Pick<GuidanceSettings, 'thresholds'> | null | undefined): GuidanceThresholds {
  const tuned: Partial<GuidanceThresholds> = {};
  for (const [key, bounds] of Object.entries(TUNABLE_THRESHOLDS)) {
    const value = settings?.thresholds?.[key];
    if (Number.isInteger(value) && value! >= bounds.min && value! <= bounds.max)
      tuned[key as keyof GuidanceThresholds] = value;
  }
  return { ...DEFAULT_THRESHOLDS, ...tuned };
}

/** The directory's order: the authority's position, then the code (as `directoryFor`'s ORDER BY). */
function inDirectoryOrder(a: ServiceDirectoryEntryRecord, b: ServiceDirectoryEntryRecord): number {
  if (a.position !== b.position) return a.position - b.position;
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

/** A local authority's services directory and trigger thresholds, as the guidance engine needs them. */
@Injectable()
export class DirectoryService {
  /** The active entries, in the authority's order; the product's default directory until it has its own. */
  async directoryFor(manager: EntityManager, localAuthorityId: string): Promise<ServiceDirectoryEntry[]> {
    const records = await manager
      .getRepository(ServiceDirectoryEntryRecord)
      .find({ where: { localAuthorityId }, order: { position: 'ASC', code: 'ASC' } });
    return servicesOf(records);
  }

  /** The authority's tuned thresholds over the defaults; the fixed (level-4) ones are always the defaults. */
  async thresholdsFor(manager: EntityManager, localAuthorityId: string): Promise<GuidanceThresholds> {
    const settings = await manager.getRepository(GuidanceSettings).findOne({ where: { localAuthorityId } });
    return thresholdsOf(settings);
  }

  /**
   * `directoryFor` and `thresholdsFor` as `UNION ALL` branches by `:directoryAuthorityId`
   * (database/json-rows.ts), so the guidance reads them in one statement with the pupil's history
   * (issue 9: each statement is a round trip through the event loop). Read every time, never cached:
   * a lead's change applies to the next guidance shown, on every instance.
   */
  directoryBranches(manager: EntityManager): JsonRowBranch[] {
    return [
      {
        tag: 'directory.entry',
        // What `toDirectoryEntry`, the active filter and the order read.
        row: jsonRowOf(manager, ServiceDirectoryEntryRecord, 'entry', [
          'code',
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
          'position',
        ]),
        from: `FROM ${tableOf(manager, ServiceDirectoryEntryRecord)} entry
          WHERE entry.local_authority_id = :directoryAuthorityId`,
      },
      {
        tag: 'directory.settings',
        row: jsonRowOf(manager, GuidanceSettings, 'settings', ['thresholds']),
        from: `FROM ${tableOf(manager, GuidanceSettings)} settings
          WHERE settings.local_authority_id = :directoryAuthorityId`,
      },
    ];
  }

  /** The parameters `directoryBranches` reads by. */
  directoryParameters(localAuthorityId: string): Record<string, unknown> {
    return { directoryAuthorityId: localAuthorityId };
  }

  /** The directory and thresholds of `directoryBranches`' rows, as `directoryFor` and `thresholdsFor` answer them. */
  directoryFrom(manager: EntityManager, rowsOf: RowsOfTag): GuidanceDirectory {
    const records = rowsOf('directory.entry')
      .map((row) => hydrateJsonRow(manager, ServiceDirectoryEntryRecord, row))
      .sort(inDirectoryOrder);
    const settings = rowsOf('directory.settings').map((row) => hydrateJsonRow(manager, GuidanceSettings, row))[0];
    return { services: servicesOf(records), thresholds: thresholdsOf(settings) };
  }

  /** The authority's early-help response time in working days (5 until its lead sets another). */
  async earlyHelpResponseDaysFor(manager: EntityManager, localAuthorityId: string): Promise<number> {
    const settings = await manager.getRepository(GuidanceSettings).findOne({ where: { localAuthorityId } });
    return earlyHelpResponseDaysOf(settings?.earlyHelpResponseDays);
  }

  /** Copies the default directory into an authority's own, editable one (the demo seed, or a first edit). */
  async seedDefaults(manager: EntityManager, localAuthorityId: string, updatedByName: string): Promise<void> {
    const now = new Date();
    await manager.getRepository(ServiceDirectoryEntryRecord).insert(
      CARDIFF_SERVICES.map((entry, index) => ({
        id: newId(),
        localAuthorityId,
        code: entry.code,
        nameEn: entry.name.en,
        nameCy: entry.name.cy,
        descriptionEn: entry.description.en,
        descriptionCy: entry.description.cy,
        howToAccessEn: entry.howToAccess.en,
        howToAccessCy: entry.howToAccess.cy,
        minLevel: entry.minLevel,
        maxLevel: entry.maxLevel,
        issueTags: entry.issueTags,
        active: true,
        position: index,
        updatedAt: now,
        updatedByName,
      })),
    );
  }
}
