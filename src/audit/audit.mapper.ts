import { Language } from '../common/language';
import { organisationName } from '../organisations/organisation-name';
import { OrganisationRef } from '../organisations/organisations.service';
import { AuditFilter } from './audit-filter';

/** An entry as the log's readers see it: who (and where), what, about which record and which pupil. */
export interface AuditEntryView {
  at: Date;
  actor: { id: string | null; name: string; role: string | null; organisation: OrganisationRef | null };
  action: string;
  subjectType: string;
  subjectId: string;
  /** The pupil the entry is about (the subject, or the pupil of a concern or referral); `name` null when the reader may not see them. */
  pupil: { id: string; name: string | null } | null;
}

/** One page of entries with the true number the filters match (API.md, Paging). */
export interface AuditListing {
  items: AuditEntryView[];
  page: number;
  pageSize: number;
  total: number;
  filter: AuditFilter;
  /** The pupils a name typed in the pupil filter matched (the reader's own), at most PUPIL_MATCHES. */
  pupilMatches: Array<{ id: string; name: string }> | null;
  /** The name of the pupil `pupilId` names, when the reader may see them. */
  pupilName: string | null;
}

/** An entry in the API (API.md): `organisation` (where the actor acted) and `pupil` are added fields. */
export interface AuditEntryResponse {
  at: string;
  actor: { id: string | null; name: string; role: string | null };
  action: string;
  subjectType: string;
  subjectId: string;
}

export interface AuditEntryApiResponse extends AuditEntryResponse {
  /** Where the actor acted, named in the reader's language. */
  organisation: { id: string; name: string } | null;
  /** The pupil the entry is about; `name` null when the reader may not see the pupil. */
  pupil: { id: string; name: string | null } | null;
}

export function toAuditEntryResponse(entry: AuditEntryView): AuditEntryResponse {
  return {
    at: entry.at.toISOString(),
    actor: { id: entry.actor.id, name: entry.actor.name, role: entry.actor.role },
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
  };
}

/** `GET /api/audit`: one page with its true total (API.md, Paging). */
export function toAuditPageResponse(listing: AuditListing, language: Language) {
  return {
    items: listing.items.map((entry): AuditEntryApiResponse => ({
      ...toAuditEntryResponse(entry),
      organisation: entry.actor.organisation
        ? { id: entry.actor.organisation.id, name: organisationName(entry.actor.organisation, language) }
        : null,
      pupil: entry.pupil,
    })),
    page: listing.page,
    pageSize: listing.pageSize,
    total: listing.total,
  };
}
