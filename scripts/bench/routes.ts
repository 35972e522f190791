/**
 * The routes of issue 9's table, API and page, each as the person who would use it on a Monday
 * morning, and the pupils they are measured on (found by query, by the size of their chronology).
 */
import { DataSource } from 'typeorm';
import { Target } from './load';

export const DSP_RIVERSIDE = 'dsp@riverside.example';
export const DSP_HILLCREST = 'dsp@hillcrest.example';
export const MASH = 'mash@cardiff.example';
export const EARLY_HELP = 'earlyhelp@cardiff.example';
export const LA_LEAD = 'lead@cardiff.example';

export interface RouteSpec {
  /** Short name for `--only` and the JSON output. */
  name: string;
  /** What the table says. */
  label: string;
  account: string;
  target: Target;
}

/** A pupil a DSP reads, with the number of entries their chronology has. */
export interface MeasuredPupil {
  id: string;
  account: string;
  entries: number;
}

export interface Subjects {
  chronology20: MeasuredPupil | null;
  chronology200: MeasuredPupil | null;
  chronology1000: MeasuredPupil | null;
}

const entriesLabel = (pupil: MeasuredPupil | null, wanted: number) =>
  pupil && Math.abs(pupil.entries - wanted) > wanted / 2
    ? `${pupil.entries.toLocaleString('en-GB')} entries; none near ~${wanted.toLocaleString('en-GB')}`
    : `${pupil ? pupil.entries.toLocaleString('en-GB') : '?'} entries`;

export function readRoutes(subjects: Subjects): RouteSpec[] {
  const routes: RouteSpec[] = [
    { name: 'api-me', label: 'GET /api/me (sign-in check only)', account: DSP_RIVERSIDE, target: { path: '/api/me' } },
  ];
  const chronology = (name: string, pupil: MeasuredPupil | null, wanted: number, page: boolean) => {
    if (!pupil) return;
    routes.push({
      name,
      label: `chronology ${page ? 'page' : 'JSON'}, ${entriesLabel(pupil, wanted)}`,
      account: pupil.account,
      target: { path: page ? `/pupils/${pupil.id}/chronology` : `/api/pupils/${pupil.id}/chronology` },
    });
  };
  chronology('chronology-20', subjects.chronology20, 20, false);
  chronology('chronology-1000', subjects.chronology1000, 1000, false);
  chronology('chronology-page-200', subjects.chronology200, 200, true);
  for (const [school, account] of [
    ['riverside', DSP_RIVERSIDE],
    ['hillcrest', DSP_HILLCREST],
  ]) {
    routes.push(
      { name: `concerns-${school}`, label: `DSP concern list (${school})`, account, target: { path: '/api/concerns' } },
      {
        name: `triage-${school}`,
        label: `DSP triage queue (${school})`,
        account,
        target: { path: '/api/concerns?status=awaiting_triage' },
      },
      { name: `dashboard-${school}`, label: `DSP dashboard / (${school})`, account, target: { path: '/' } },
    );
  }
  routes.push(
    { name: 'mash-inbox-api', label: 'MASH inbox (API)', account: MASH, target: { path: '/api/la/escalations' } },
    { name: 'mash-inbox-page', label: 'MASH inbox (page)', account: MASH, target: { path: '/la/inbox' } },
    { name: 'mash-dashboard', label: 'MASH dashboard /', account: MASH, target: { path: '/' } },
    {
      name: 'early-help-inbox-api',
      label: 'early-help inbox (API)',
      account: EARLY_HELP,
      target: { path: '/api/la/escalations' },
    },
    {
      name: 'early-help-inbox-page',
      label: 'early-help inbox (page)',
      account: EARLY_HELP,
      target: { path: '/la/inbox' },
    },
    {
      name: 'referral-balance-api',
      label: 'referral balance, LA lead (API)',
      account: LA_LEAD,
      target: { path: '/api/reports/referral-balance' },
    },
    {
      name: 'referral-balance-page',
      label: 'referral balance, LA lead (page)',
      account: LA_LEAD,
      target: { path: '/reports/referral-balance' },
    },
    { name: 'pupils-api', label: 'pupil list (API)', account: DSP_RIVERSIDE, target: { path: '/api/pupils' } },
    {
      name: 'pupils-search-api',
      label: 'pupil search q=jon (API)',
      account: DSP_RIVERSIDE,
      target: { path: '/api/pupils?q=jon' },
    },
    { name: 'pupils-page', label: 'pupil list (page)', account: DSP_RIVERSIDE, target: { path: '/pupils' } },
    {
      name: 'pupils-search-page',
      label: 'pupil search q=jon (page)',
      account: DSP_RIVERSIDE,
      target: { path: '/pupils?q=jon' },
    },
    { name: 'audit-api', label: 'audit log, LA lead (API)', account: LA_LEAD, target: { path: '/api/audit' } },
    { name: 'audit-page', label: 'audit page, LA lead', account: LA_LEAD, target: { path: '/audit' } },
  );
  return routes;
}

/** `POST /api/concerns` by the Riverside DSP, spread over its pupils. */
export function concernCreation(pupilIds: string[]): RouteSpec {
  return {
    name: 'post-concern',
    label: 'POST /api/concerns (audited creation)',
    account: DSP_RIVERSIDE,
    target: {
      method: 'POST',
      path: '/api/concerns',
      body: (n) => ({
        pupilId: pupilIds[n % pupilIds.length],
        occurredAt: new Date(Date.now() - 3600_000).toISOString(),
        category: 'wellbeing',
        issues: ['attendance'],
        summary: `Benchmark concern ${n}`,
        evidenceBasis: 'observed',
      }),
    },
  };
}

/** `--only a,b`: a route runs when its name contains one of the words (all run without it). */
export function selected(name: string, only: string[] | undefined): boolean {
  return !only || only.some((word) => name.includes(word));
}

export interface CandidatePupil {
  pupilId: string;
  account: string;
  concerns: number;
}

/** Every pupil enrolled now at Riverside or Hillcrest, with their DSP's account and their concerns. */
export async function candidatePupils(dataSource: DataSource): Promise<CandidatePupil[]> {
  const rows: Array<{ pupil: string; email: string; concerns: string | number }> = await dataSource.query(
    `SELECT e.pupil_id AS "pupil", u.email AS "email", COUNT(c.id) AS "concerns"
       FROM users u
       JOIN memberships m ON m.user_id = u.id AND m.role = 'dsp'
       JOIN enrolments e ON e.organisation_id = m.organisation_id AND e.ended_on IS NULL
       LEFT JOIN concerns c ON c.pupil_id = e.pupil_id
      WHERE u.email IN ('${DSP_RIVERSIDE}', '${DSP_HILLCREST}')
      GROUP BY e.pupil_id, u.email`,
  );
  return rows.map((row) => ({ pupilId: row.pupil, account: row.email, concerns: Number(row.concerns) }));
}

/**
 * The pupil whose chronology is nearest `wanted` entries: the few whose concern counts suggest it
 * (about 3 entries a concern: decisions, referrals, answers, closures) are opened and counted.
 */
export async function pupilNear(
  candidates: CandidatePupil[],
  wanted: number,
  countEntries: (candidate: CandidatePupil) => Promise<number>,
  tries = 6,
): Promise<MeasuredPupil | null> {
  const guess = wanted / 3;
  const nearest = [...candidates]
    .sort(
      (a, b) =>
        Math.abs(Math.log1p(a.concerns) - Math.log1p(guess)) - Math.abs(Math.log1p(b.concerns) - Math.log1p(guess)),
    )
    .slice(0, tries);
  let best: MeasuredPupil | null = null;
  for (const candidate of nearest) {
    const entries = await countEntries(candidate);
    if (!best || Math.abs(entries - wanted) < Math.abs(best.entries - wanted))
      best = { id: candidate.pupilId, account: candidate.account, entries };
  }
  return best;
}
