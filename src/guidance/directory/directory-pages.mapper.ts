import { InvalidInputError } from '../../common/domain-error';
import { FieldProblem, FormError, formErrorOf, FormSpec, wholeNumber } from '../../web/forms';
import { ISSUE_CODES } from '../codes';
import {
  DirectoryEntryFields,
  DirectoryEntryView,
  DirectoryOverview,
  LEVELS_BY_SEVERITY,
  NewDirectoryEntry,
  TUNABLE_THRESHOLD_KEYS,
  TunableThreshold,
} from './directory-admin.service';
import { DirectoryError, DirectoryRuleError } from './directory-errors';

/** What a person typed into the service form, kept as text so it can be shown again exactly. */
export interface ServiceFormInput {
  code: string;
  nameEn: string;
  nameCy: string;
  descriptionEn: string;
  descriptionCy: string;
  howToAccessEn: string;
  howToAccessCy: string;
  minLevel: string;
  maxLevel: string;
  issueTags: string[];
  active: boolean;
}

export type ThresholdFormInput = Partial<Record<TunableThreshold, string>>;

export const DIRECTORY_DONE = ['added', 'updated', 'thresholds', 'responseTime'] as const;
export type DirectoryDone = (typeof DIRECTORY_DONE)[number];

const ENTRY_FIELD_IDS = [
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
];

export { wholeNumber };

/** A broken directory rule as the service form shows it: on the field whose change broke it. */
function directoryRuleError(error: DirectoryRuleError): FormError {
  const field = Object.keys(error.errors)[0] ?? ENTRY_FIELD_IDS[0];
  switch (error.reason) {
    case DirectoryError.CodeTaken:
      return { field, key: 'directory.errors.codeTaken' };
    case DirectoryError.LevelRangeOrder:
      return { field, key: 'directory.errors.levelRangeOrder' };
    case DirectoryError.NeedsUntaggedService:
      return {
        field,
        key: error.rule.endsWith('_2')
          ? 'directory.errors.needsUntaggedLevel2'
          : 'directory.errors.needsUntaggedLevel3',
      };
  }
}

/** DirectoryEntryDto's fields on the service form: one message per field, whatever its problem. */
const ENTRY_FORM: FormSpec = {
  common: { otherwise: 'directory.errors.ruleBroken' },
  fallbackField: 'code',
  fields: Object.fromEntries(
    ENTRY_FIELD_IDS.map((field) => [field, { keys: { otherwise: `directory.errors.${field}` } }]),
  ),
};

/** ThresholdsDto's fields on the threshold form: one message per threshold. */
const THRESHOLD_FORM: FormSpec = {
  common: { otherwise: 'directory.errors.ruleBroken' },
  fallbackField: TUNABLE_THRESHOLD_KEYS[0],
  fields: Object.fromEntries(
    TUNABLE_THRESHOLD_KEYS.map((key) => [key, { keys: { otherwise: `directory.errors.thresholds.${key}` } }]),
  ),
};

/** The page's own check of the threshold form (ThresholdsDto's bounds), as problems on the form. */
export function thresholdFormErrorsOfProblems(problems: FieldProblem[]): FormError[] {
  return problems.flatMap((problem) => formErrorOf(problem, THRESHOLD_FORM) ?? []);
}

/** The page's own check of the service form (DirectoryEntryDto's rules), as problems on the form. */
export function entryFormErrorsOfProblems(problems: FieldProblem[]): FormError[] {
  const errors = problems.flatMap((problem) => formErrorOf(problem, ENTRY_FORM) ?? []);
  return ENTRY_FIELD_IDS.flatMap((field) => errors.filter((error) => error.field === field).slice(0, 1));
}

export function toEntryFields(input: ServiceFormInput): DirectoryEntryFields {
  return {
    nameEn: input.nameEn,
    nameCy: input.nameCy,
    descriptionEn: input.descriptionEn,
    descriptionCy: input.descriptionCy,
    howToAccessEn: input.howToAccessEn,
    howToAccessCy: input.howToAccessCy,
    minLevel: wholeNumber(input.minLevel),
    maxLevel: wholeNumber(input.maxLevel),
    issueTags: input.issueTags,
    active: input.active,
  };
}

export function toNewEntry(input: ServiceFormInput): NewDirectoryEntry {
  return { code: input.code, ...toEntryFields(input) };
}

export function formInputOf(entry: NewDirectoryEntry | DirectoryEntryView): ServiceFormInput {
  return {
    code: entry.code,
    nameEn: entry.nameEn,
    nameCy: entry.nameCy,
    descriptionEn: entry.descriptionEn,
    descriptionCy: entry.descriptionCy,
    howToAccessEn: entry.howToAccessEn,
    howToAccessCy: entry.howToAccessCy,
    minLevel: String(entry.minLevel),
    maxLevel: String(entry.maxLevel),
    issueTags: [...entry.issueTags],
    active: entry.active,
  };
}

/** The service's 400s and 422s as problems on the form; anything else is not the form's business. */
export function pageErrorsOf(
  error: unknown,
  fields: readonly string[],
  keyOfField: (field: string) => string,
): { status: number; errors: FormError[] } | null {
  if (error instanceof DirectoryRuleError) return { status: 422, errors: [directoryRuleError(error)] };
  if (error instanceof InvalidInputError) {
    const known = fields.filter((field) => field in error.errors);
    return {
      status: 400,
      errors: (known.length ? known : [fields[0]]).map((field) => ({ field, key: keyOfField(field) })),
    };
  }
  return null;
}

export function entryFormErrorsOf(error: unknown) {
  return pageErrorsOf(error, ENTRY_FIELD_IDS, (field) => `directory.errors.${field}`);
}

export function thresholdErrorsOf(error: unknown) {
  return pageErrorsOf(error, TUNABLE_THRESHOLD_KEYS, (field) => `directory.errors.thresholds.${field}`);
}

/** The directory page: every service (withdrawn ones too) and the threshold form. */
export function toDirectoryPage(
  overview: DirectoryOverview,
  options: {
    done?: DirectoryDone;
    thresholdInput?: ThresholdFormInput;
    responseTimeInput?: string;
    errors?: FormError[];
  } = {},
) {
  const errorFor = (field: string) => options.errors?.find((error) => error.field === field)?.key ?? null;
  const byKey = Object.fromEntries(overview.thresholds.map((threshold) => [threshold.key, threshold]));
  const threshold = (key: TunableThreshold) => ({
    key,
    value: options.thresholdInput?.[key] ?? String(byKey[key].value),
    defaultValue: byKey[key].defaultValue,
    min: byKey[key].min,
    max: byKey[key].max,
    error: errorFor(key),
  });
  return {
    title: 'directory.title',
    done: options.done,
    errors: options.errors?.length ? options.errors : undefined,
    count: overview.entries.length,
    activeCount: overview.entries.filter((entry) => entry.active).length,
    entries: overview.entries.map((entry) => ({
      href: `/la/services/${encodeURIComponent(entry.id)}/edit`,
      code: entry.code,
      nameEn: entry.nameEn,
      nameCy: entry.nameCy,
      minLevel: String(entry.minLevel),
      maxLevel: String(entry.maxLevel),
      singleLevel: entry.minLevel === entry.maxLevel,
      issueTags: entry.issueTags,
      untagged: entry.issueTags.length === 0,
      active: entry.active,
    })),
    triggers: [
      {
        code: 'pattern_frequency',
        thresholds: [threshold('patternFrequencyCount'), threshold('patternFrequencyDays')],
      },
      {
        code: 'pattern_categories',
        thresholds: [threshold('patternCategoriesCount'), threshold('patternCategoriesDays')],
      },
      { code: 'after_mash_closure', thresholds: [threshold('afterMashClosureMonths')] },
    ],
    fixed: overview.fixed,
    responseTime: {
      value: options.responseTimeInput ?? String(overview.earlyHelpResponseDays.value),
      min: overview.earlyHelpResponseDays.min,
      max: overview.earlyHelpResponseDays.max,
      defaultValue: overview.earlyHelpResponseDays.defaultValue,
      error: errorFor('earlyHelpResponseDays'),
    },
  };
}

/** The form for a new service or for changing one. */
export function toServiceFormPage(
  mode: 'new' | 'edit',
  input: ServiceFormInput,
  options: { id?: string; errors?: FormError[] } = {},
) {
  const errorFor = (field: string) => options.errors?.find((error) => error.field === field)?.key ?? null;
  const levelOptions = (selected: string) =>
    LEVELS_BY_SEVERITY.map((level) => ({ value: String(level), selected: String(level) === selected }));
  return {
    title: mode === 'new' ? 'directory.form.newTitle' : 'directory.form.editTitle',
    mode,
    isNew: mode === 'new',
    action: mode === 'new' ? '/la/services/new' : `/la/services/${encodeURIComponent(options.id ?? '')}/edit`,
    errors: options.errors?.length ? options.errors : undefined,
    form: input,
    minLevelOptions: levelOptions(input.minLevel),
    maxLevelOptions: levelOptions(input.maxLevel),
    tagOptions: ISSUE_CODES.map((code, index) => ({
      code,
      id: index === 0 ? 'issueTags' : `issueTags-${code}`,
      checked: input.issueTags.includes(code),
    })),
    fieldErrors: Object.fromEntries(ENTRY_FIELD_IDS.map((field) => [field, errorFor(field)])),
  };
}
