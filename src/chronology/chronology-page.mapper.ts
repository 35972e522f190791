import { CONCERN_CATEGORIES } from '../guidance/codes';
import { Language } from '../common/language';
import { translate, translateMessage } from '../i18n/i18n.service';
import { organisationName } from '../organisations/organisation-name';
import { pagerFor } from '../common/pager';
import { Chronology, CHRONOLOGY_KINDS, ChronologyKind } from './chronology.mapper';
import { isDayEntry } from './chronology-days';

/** One colour per kind of entry, so a reader can scan the timeline for decisions or referrals. */
const KIND_TAGS: Record<ChronologyKind, string> = {
  concern_recorded: 'govuk-tag--orange',
  linked_mention: 'govuk-tag--grey',
  decision: 'govuk-tag--purple',
  escalation_sent: 'govuk-tag--pink',
  la_acknowledged: 'govuk-tag--turquoise',
  la_outcome: 'govuk-tag--green',
  concern_closed: 'govuk-tag--grey',
  transfer: 'govuk-tag--yellow',
  enrolment: 'govuk-tag--yellow',
  placement_started: 'govuk-tag--blue',
  placement_reviewed: 'govuk-tag--blue',
  placement_ended: 'govuk-tag--blue',
  action_set: 'govuk-tag--light-blue',
  action_completed: 'govuk-tag--light-blue',
  concern_amended: 'govuk-tag--grey',
  attachment_added: 'govuk-tag--grey',
  records_disposed: 'govuk-tag--red',
};

export interface ChronologyPageOptions {
  kinds: ChronologyKind[];
  category?: string;
  print: boolean;
  printedAt: string;
}

/** The chronology page's view model: the timeline (titles in the page's language), the filter form's state and the links that keep it. */
export function toChronologyPage(chronology: Chronology, language: Language, options: ChronologyPageOptions) {
  const { pupil, entries } = chronology;
  const pageHref = `/pupils/${encodeURIComponent(pupil.id)}/chronology`;
  const query = new URLSearchParams();
  for (const kind of options.kinds) query.append('kind', kind);
  if (options.category) query.set('category', options.category);
  const screenQuery = query.toString();
  const hrefOf = (n: number) => {
    const paged = new URLSearchParams(query);
    if (n > 1) paged.set('page', String(n));
    const text = paged.toString();
    return text ? `${pageHref}?${text}` : pageHref;
  };
  query.set('print', '1');
  const filtered = options.kinds.length > 0 || Boolean(options.category);

  return {
    title: 'chronologyPage.title',
    // The print-friendly variant: the same content without the menu, the header's controls or the filter form.
    ...(options.print ? { layout: 'chronology/print-layout' } : {}),
    print: options.print,
    printedAt: options.printedAt,
    pageHref,
    screenHref: screenQuery ? `${pageHref}?${screenQuery}` : pageHref,
    printHref: `${pageHref}?${query.toString()}`,
    // "Download as PDF": its own route beside the page, in the reader's language unless they choose.
    pdf: {
      href: `${pageHref}/pdf`,
      welsh: language === 'cy',
    },
    pupil: {
      id: pupil.id,
      name: `${pupil.firstName} ${pupil.lastName}`,
      upn: pupil.upn,
      dateOfBirth: pupil.dateOfBirth,
      yearGroup: pupil.yearGroup,
    },
    filtered,
    filter: { kinds: options.kinds, category: options.category ?? null },
    kindOptions: CHRONOLOGY_KINDS.map((code, index) => ({
      code,
      id: index === 0 ? 'kind' : `kind-${code}`,
      checked: options.kinds.includes(code),
    })),
    categoryOptions: CONCERN_CATEGORIES.map((code) => ({ code, selected: options.category === code })),
    count: chronology.total,
    pagination: options.print ? null : pagerFor(chronology, hrefOf),
    entries: entries.map((entry) => ({
      at: entry.at,
      // Enrolments and placements start and end on a day, not at a time.
      dateOnly: isDayEntry(entry) ? entry.at.slice(0, 10) : null,
      kind: entry.kind,
      tagClass: KIND_TAGS[entry.kind] ?? 'govuk-tag--grey',
      title: translateMessage(language, entry.title),
      detail: entry.detail,
      childsWords: entry.childsWords
        ? {
            text: entry.childsWords.text,
            // "in Polish" when the person said which; else "in English", "in Welsh" or "in another language".
            language: entry.childsWords.languageName
              ? translate(language, 'concernPage.languageNamed', { name: entry.childsWords.languageName })
              : translate(language, `concernPage.languages.${entry.childsWords.language ?? 'other'}`),
            lang:
              entry.childsWords.language === 'en' || entry.childsWords.language === 'cy'
                ? entry.childsWords.language
                : null,
          }
        : null,
      actor: entry.actor,
      organisationName: organisationName(entry.organisation, language),
      belowGuidance: entry.belowGuidance === true,
      concernHref: entry.concernId ? `/concerns/${encodeURIComponent(entry.concernId)}` : null,
    })),
  };
}
