import { Language } from '../common/language';
import { organisationName } from '../organisations/organisation-name';
import { AUDIT_ACTIONS, AuditFilterError, AuditFilterField, AuditFilterInput } from './audit-filter';
import { AuditListing } from './audit.service';

/** The filter form's fields, as typed: every one comes back in the form, and into the pager's links. */
const FORM_FIELDS = ['actorId', 'pupilId', 'pupil', 'action', 'from', 'to'] as const;
type FormState = Record<(typeof FORM_FIELDS)[number] | 'pageSize', string>;

/** Catalogue keys for what can be wrong with a filter, by field and problem. */
const PROBLEM_KEYS: Partial<Record<AuditFilterField, string>> = {
  from: 'audit.errors.from',
  to: 'audit.errors.to',
  actorId: 'audit.errors.filter',
  pupilId: 'audit.errors.filter',
  action: 'audit.errors.filter',
  subjectType: 'audit.errors.filter',
  subjectId: 'audit.errors.filter',
  page: 'audit.errors.page',
  pageSize: 'audit.errors.page',
};

function formOf(query: AuditFilterInput): FormState {
  const form = {} as FormState;
  for (const field of [...FORM_FIELDS, 'pageSize'] as const) {
    const value = query[field];
    form[field] = typeof value === 'string' ? value.trim() : '';
  }
  return form;
}

function hrefWith(form: FormState, changes: Partial<FormState> & { page?: number }): string {
  const params = new URLSearchParams();
  for (const field of FORM_FIELDS) {
    const value = field in changes ? changes[field] : form[field];
    if (value) params.set(field, value);
  }
  // A page size given in the address (not on the form) is kept by every link.
  if (form.pageSize) params.set('pageSize', form.pageSize);
  if (changes.page && changes.page > 1) params.set('page', String(changes.page));
  const query = params.toString();
  return query ? `/audit?${query}` : '/audit';
}

interface PageInput {
  query: AuditFilterInput;
  people: Array<{ id: string; name: string }>;
  language: Language;
}

/** The audit page: filters (a GET form), one page of entries in words, and a pager with the true total. */
export function toAuditPage({ query, people, language }: PageInput, listing: AuditListing) {
  const form = formOf(query);
  const { page, pageSize, total } = listing;
  const lastPage = Math.max(1, Math.ceil(total / pageSize));
  return {
    ...common(form, people),
    entries: listing.items.map((entry) => ({
      at: entry.at.toISOString(),
      actor: {
        name: entry.actor.name,
        role: entry.actor.role,
        organisation: entry.actor.organisation ? organisationName(entry.actor.organisation, language) : null,
      },
      action: entry.action,
      subjectType: entry.subjectType,
      pupil: entry.pupil && {
        name: entry.pupil.name,
        filterHref: entry.pupil.name ? hrefWith(form, { pupilId: entry.pupil.id, pupil: '' }) : null,
      },
    })),
    pupilFilter: form.pupilId ? { name: listing.pupilName, clearHref: hrefWith(form, { pupilId: '' }) } : null,
    pupilMatches:
      listing.pupilMatches && listing.pupilMatches.length !== 1
        ? {
            none: listing.pupilMatches.length === 0,
            many: listing.pupilMatches.length > 1,
            items: listing.pupilMatches.map((pupil) => ({
              name: pupil.name,
              href: hrefWith(form, { pupilId: pupil.id, pupil: '' }),
            })),
          }
        : null,
    total,
    shown:
      listing.items.length > 0
        ? { first: (page - 1) * pageSize + 1, last: (page - 1) * pageSize + listing.items.length, total }
        : null,
    pager:
      lastPage > 1
        ? {
            page: Math.min(page, lastPage),
            lastPage,
            previous: page > 1 ? hrefWith(form, { page: Math.min(page - 1, lastPage) }) : null,
            next: page < lastPage ? hrefWith(form, { page: page + 1 }) : null,
          }
        : null,
    errors: [],
  };
}

/** The page again, with the form as typed and what is wrong with it (400). */
export function toAuditErrorPage({ query, people }: Omit<PageInput, 'language'>, error: AuditFilterError) {
  const form = formOf(query);
  const errors = (Object.keys(error.problems) as AuditFilterField[]).map((field) => ({
    field: field === 'to' || field === 'from' || field === 'action' || field === 'actorId' ? field : 'filters',
    key: PROBLEM_KEYS[field] ?? 'audit.errors.filter',
  }));
  return {
    ...common(form, people),
    entries: [],
    pupilFilter: null,
    pupilMatches: null,
    total: 0,
    shown: null,
    pager: null,
    errors,
  };
}

function common(form: FormState, people: Array<{ id: string; name: string }>) {
  return {
    title: 'audit.title',
    form,
    filtered: FORM_FIELDS.some((field) => form[field] !== ''),
    people: people.map((person) => ({ ...person, selected: person.id === form.actorId })),
    actions: AUDIT_ACTIONS.map((code) => ({
      code,
      value: code.replace('.', '-'),
      selected: code === form.action.replace(/-(?=[a-z_]+$)/, '.'),
    })),
  };
}
