import { londonDateOf } from '../../calendar/london-time';
import { Language } from '../../common/language';
import { formatCalendarDate, formatInstant, hasKey, translate, translateMessage } from '../../i18n/i18n.service';
import { organisationName, OrganisationNames } from '../../organisations/organisation-name';
import { isDayEntry } from '../chronology-days';
import { ChronologyEntry } from '../chronology.mapper';
import type { ChronologyExport } from '../chronology.service';

/**
 * The words of the chronology PDF, apart from drawing: pure functions from the export to text, in the
 * chosen language. What people recorded (details, the child's words, body-map notes) passes through
 * untouched; only headings and labels are translated.
 */

export interface PdfOptions {
  language: Language;
  /** Entries give a role instead of a name, and the exporter line gives the exporter's role only. */
  redactStaff: boolean;
  from?: string;
  to?: string;
  exporter: { name: string; role: string; organisation: OrganisationNames };
  exportedAt: Date;
}

/** One entry as printed. */
export interface PdfEntry {
  time: string;
  kind: string;
  title: string;
  madeAt: string;
  who: string | null;
  detail: string | null;
  childsWords: { label: string; text: string } | null;
  concernId: string | null;
}

/**
 * `chronology-<UPN>-<London date>.pdf`: the UPN says whose chronology it is to the person who saves
 * it without putting a child's name in a downloads folder, a mail attachment's name or a file share's
 * listing. Anything but letters and digits is dropped, so the header cannot be broken by the value.
 */
export function pdfFileName(upn: string, exportedAt: Date): string {
  return `chronology-${upn.replace(/[^A-Za-z0-9]/g, '')}-${londonDateOf(exportedAt)}.pdf`;
}

/** The UK protective marking stays in English (it is the marking); the Welsh PDF adds a gloss. */
export function protectiveMarking(language: Language): string {
  return translate(language, 'chronologyPdf.marking');
}

export function pageLabel(language: Language, page: number, pages: number): string {
  return translate(language, 'chronologyPdf.pageOf', { page, pages });
}

const roleName = (language: Language, role: string) =>
  hasKey(language, `roles.${role}`) ? translate(language, `roles.${role}`) : role;

/**
 * Who exported it and when (London time). With staff names removed the line gives the exporter's role
 * and organisation only, so no staff name appears anywhere in the document; the audit entry
 * `chronology.exported` keeps who it was.
 */
export function exporterLine(options: PdfOptions): string {
  const params = {
    name: options.exporter.name,
    role: roleName(options.language, options.exporter.role),
    organisation: organisationName(options.exporter.organisation, options.language),
    at: formatInstant(options.language, options.exportedAt),
  };
  return translate(
    options.language,
    options.redactStaff ? 'chronologyPdf.exportedByRole' : 'chronologyPdf.exportedBy',
    params,
  );
}

export function dateRangeText(language: Language, from?: string, to?: string): string {
  const day = (text: string) => formatCalendarDate(language, text);
  if (from && to) return translate(language, 'chronologyPdf.datesBetween', { from: day(from), to: day(to) });
  if (from) return translate(language, 'chronologyPdf.datesFrom', { from: day(from) });
  if (to) return translate(language, 'chronologyPdf.datesUpTo', { to: day(to) });
  return translate(language, 'chronologyPdf.allDates');
}

/** The first page's facts about the pupil, as label and value pairs. */
export function pupilFacts(exported: Pick<ChronologyExport, 'pupil' | 'currentEnrolments'>, options: PdfOptions) {
  const { language } = options;
  const t = (key: string, params = {}) => translate(language, `chronologyPdf.${key}`, params);
  const { pupil } = exported;
  const onRoll = exported.currentEnrolments.map((enrolment) =>
    t('enrolment', {
      organisation: organisationName(enrolment.organisation, language),
      type: hasKey(language, `enrolmentTypes.${enrolment.type}`)
        ? translate(language, `enrolmentTypes.${enrolment.type}`)
        : enrolment.type,
      since: formatCalendarDate(language, enrolment.startedOn),
    }),
  );
  return [
    { label: t('name'), value: `${pupil.firstName} ${pupil.lastName}` },
    { label: t('upn'), value: pupil.upn },
    { label: t('dateOfBirth'), value: formatCalendarDate(language, pupil.dateOfBirth) },
    {
      label: t('yearGroup'),
      value:
        pupil.yearGroup === 0
          ? translate(language, 'yearGroups.reception')
          : translate(language, 'yearGroups.year', { n: pupil.yearGroup }),
    },
    { label: t('onRoll'), value: onRoll.length ? onRoll.join('\n') : t('notOnRoll') },
    { label: t('dates'), value: dateRangeText(language, options.from, options.to) },
    { label: t('staffNames'), value: t(options.redactStaff ? 'staffNamesRemoved' : 'staffNamesShown') },
  ];
}

/** A kind in words; a kind the catalogue does not know yet is printed as its code rather than a key. */
export function kindName(language: Language, kind: string): string {
  return hasKey(language, `chronologyKinds.${kind}`) ? translate(language, `chronologyKinds.${kind}`) : kind;
}

export function pdfEntry(entry: ChronologyEntry, options: PdfOptions): PdfEntry {
  const { language } = options;
  const words = entry.childsWords;
  const spokenIn = words
    ? words.languageName
      ? translate(language, 'concernPage.languageNamed', { name: words.languageName })
      : translate(language, `concernPage.languages.${words.language ?? 'other'}`)
    : '';
  const role = entry.actor ? roleName(language, entry.actor.role) : '';
  return {
    // Enrolments and placements start and end on a day, not at a time.
    time: isDayEntry(entry) ? formatCalendarDate(language, entry.at.slice(0, 10)) : formatInstant(language, entry.at),
    kind: kindName(language, entry.kind),
    title: translateMessage(language, entry.title),
    madeAt: translate(language, 'chronologyPdf.madeAt', {
      organisation: organisationName(entry.organisation, language),
    }),
    who: entry.actor
      ? options.redactStaff
        ? translate(language, 'chronologyPdf.byRole', { role })
        : translate(language, 'chronologyPdf.by', { name: entry.actor.name, role })
      : null,
    detail: entry.detail,
    childsWords: words
      ? { label: translate(language, 'chronologyPdf.childsWords', { language: spokenIn }), text: words.text }
      : null,
    concernId: entry.kind === 'concern_recorded' ? (entry.concernId ?? null) : null,
  };
}
