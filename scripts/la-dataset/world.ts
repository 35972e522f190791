import { upnFor } from '../../src/school/upn';
import { Gender } from '../../src/school/pupil.entity';
import { Role } from '../../src/common/roles';
import {
  AREAS,
  FIRST_NAMES_FEMALE,
  FIRST_NAMES_MALE,
  FIRST_NAMES_NEUTRAL,
  PRIMARY_FORMS,
  SAINTS,
  STAFF_FIRST,
  STAFF_LAST,
  SURNAMES,
  WELSH_SCHOOL_FIRST,
  WELSH_SCHOOL_SECOND,
} from './names';
import { Rng } from './prng';

/**
 * The local authority's schools, PRUs, staff and roll at a given scale, as plain values: who is where,
 * with valid UPNs, households of siblings and enrolments. The demo organisations and accounts (made
 * by the app's own seed) are passed in and kept; everything else is made here, deterministically.
 */
export type SchoolPhase = 'primary' | 'secondary' | 'special' | 'pru';

export interface WorldOrganisation {
  id: string;
  kind: 'school' | 'pru';
  phase: SchoolPhase;
  name: string;
  nameCy: string | null;
  /** Four digits: the establishment part of its UPNs. */
  establishment: string;
  /** Made by the app's demo seed (not inserted here). */
  demo: boolean;
  /** Email domain of its generated accounts. */
  slug: string;
}

export interface WorldUser {
  id: string;
  membershipId: string;
  email: string;
  name: string;
  role: Role;
  organisationId: string;
  demo: boolean;
}

export interface WorldPupil {
  id: string;
  upn: string;
  firstName: string;
  lastName: string;
  preferredName: string | null;
  dateOfBirth: string;
  gender: Gender;
  yearGroup: number;
  homeLanguage: string;
  lookedAfter: boolean;
  cpRegister: boolean;
  aln: boolean;
  youngCarer: boolean;
  eal: boolean;
  fsm: boolean;
  welshSpeaker: boolean;
  householdId: string | null;
  /** Index into `organisations`: the main (home) school. */
  school: number;
  /** Index of a PRU where the pupil is dual-registered, if any. */
  dualAt: number | null;
  startedOn: string;
}

export interface WorldHousehold {
  id: string;
  label: string;
}

export interface DemoOrganisationRef {
  id: string;
  name: string;
  nameCy: string | null;
  kind: 'school' | 'pru';
  phase: SchoolPhase;
  establishment: string;
  slug: string;
}

export interface World {
  organisations: WorldOrganisation[];
  users: WorldUser[];
  pupils: WorldPupil[];
  households: WorldHousehold[];
}

/** Cardiff's LA code, as in the demo seed's UPNs. */
const LA_CODE = '681';
/** Full-scale figures (issue 9): 130 schools and PRUs, 60,000 pupils. */
export const FULL_SCALE = { settings: 130, pupils: 60_000 } as const;

const PHASE_MIX: ReadonlyArray<readonly [SchoolPhase, number]> = [
  ['primary', 0.78],
  ['secondary', 0.15],
  ['special', 0.04],
  ['pru', 0.03],
];
/** Relative roll sizes: a primary about 330, a secondary about 1,200, a PRU about 50. */
const ROLL_WEIGHT: Record<SchoolPhase, number> = { primary: 1, secondary: 3.6, special: 0.35, pru: 0.15 };
const YEAR_GROUPS: Record<SchoolPhase, number[]> = {
  primary: [0, 1, 2, 3, 4, 5, 6],
  secondary: [7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 13],
  special: [1, 3, 5, 7, 8, 9, 10, 11, 12, 13],
  pru: [7, 8, 9, 9, 10, 10, 11, 11],
};

/** Splits `total` among weights by largest remainder (the parts add up exactly). */
export function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    parts[i] += 1;
    left -= 1;
  }
  return parts;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const slugOf = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');

/** Generated schools' names: English-medium ones named after an area (most with a Welsh name), some Welsh-medium. */
function schoolNames(rng: Rng, phase: SchoolPhase, taken: Set<string>): { name: string; nameCy: string | null } {
  for (let attempt = 0; ; attempt += 1) {
    const [area, areaCy] = rng.pick(AREAS);
    let name: string;
    let nameCy: string | null;
    if (phase === 'primary') {
      const style = rng.weighted<'english' | 'welsh' | 'church'>([
        ['english', 0.7],
        ['welsh', 0.2],
        ['church', 0.1],
      ]);
      if (style === 'welsh') {
        name = `Ysgol Gymraeg ${rng.pick(WELSH_SCHOOL_FIRST)} ${rng.pick(WELSH_SCHOOL_SECOND)}`;
        nameCy = name;
      } else if (style === 'church') {
        const saint = rng.pick(SAINTS);
        name = `${saint} ${rng.chance(0.5) ? 'Church in Wales' : 'RC'} Primary, ${area}`;
        nameCy = null;
      } else {
        const [form, formCy] = rng.pick(PRIMARY_FORMS);
        name = form.replace('{area}', area);
        nameCy = rng.chance(0.75) ? formCy.replace('{areaCy}', areaCy) : null;
      }
    } else if (phase === 'secondary') {
      if (rng.chance(0.15)) {
        name = `Ysgol Gyfun Gymraeg ${rng.pick(WELSH_SCHOOL_FIRST)} ${rng.pick(WELSH_SCHOOL_SECOND)}`;
        nameCy = name;
      } else {
        const kind = rng.pick(['High School', 'Community High School', 'High']);
        name = `${area} ${kind}`;
        nameCy = rng.chance(0.75) ? `Ysgol Uwchradd ${areaCy}` : null;
      }
    } else if (phase === 'special') {
      name = `${area} ${rng.pick(['Special School', 'Learning Centre'])}`;
      nameCy = rng.chance(0.6) ? `Ysgol Arbennig ${areaCy}` : null;
    } else {
      name = `${area} PRU`;
      nameCy = `UCD ${areaCy}`;
    }
    if (!taken.has(name) || attempt > 50) {
      if (taken.has(name)) name = `${name} ${attempt}`;
      taken.add(name);
      return { name, nameCy };
    }
  }
}

function personName(rng: Rng): string {
  return `${rng.pick(STAFF_FIRST)} ${rng.pick(STAFF_LAST)}`;
}

/** The school year (September to August) that `now` falls in, by its first calendar year. */
export function schoolYearOf(now: Date): number {
  return now.getUTCMonth() >= 8 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
}

export function buildWorld(
  rng: Rng,
  scale: number,
  now: Date,
  demo: { organisations: DemoOrganisationRef[]; demoPupilCount: number; localAuthorityId: string },
): World {
  const orgRng = rng.fork('organisations');
  const generatedSettings = Math.max(0, Math.round(FULL_SCALE.settings * scale) - demo.organisations.length);
  const phases = apportion(
    generatedSettings,
    PHASE_MIX.map(([, weight]) => weight),
  );
  const taken = new Set(demo.organisations.map((o) => o.name));
  const establishments = new Set(demo.organisations.map((o) => o.establishment));
  const organisations: WorldOrganisation[] = demo.organisations.map((o) => ({ ...o, demo: true }));
  const firstEstablishment: Record<SchoolPhase, number> = { primary: 2000, secondary: 4000, special: 7000, pru: 1000 };
  PHASE_MIX.forEach(([phase], p) => {
    let next = firstEstablishment[phase];
    for (let i = 0; i < phases[p]; i += 1) {
      while (establishments.has(pad(next, 4))) next += 1;
      const establishment = pad(next, 4);
      establishments.add(establishment);
      next += 1;
      const { name, nameCy } = schoolNames(orgRng, phase, taken);
      organisations.push({
        id: orgRng.uuid(),
        kind: phase === 'pru' ? 'pru' : 'school',
        phase,
        name,
        nameCy,
        establishment,
        demo: false,
        slug: `${slugOf(name)}-${establishment}`,
      });
    }
  });

  // Accounts: DSPs, a head and staff at every generated setting; more DSPs, heads' deputies and staff
  // at the demo schools; MASH and early-help officers at the local authority.
  const userRng = rng.fork('users');
  const users: WorldUser[] = [];
  const addUser = (email: string, role: Role, organisationId: string) =>
    users.push({
      id: userRng.uuid(),
      membershipId: userRng.uuid(),
      email,
      name: personName(userRng),
      role,
      organisationId,
      demo: false,
    });
  for (const organisation of organisations) {
    const staff = { primary: 6, secondary: 16, special: 5, pru: 4 }[organisation.phase];
    const dsps = organisation.phase === 'secondary' ? 2 : 1;
    const domain = `${organisation.slug}.example`;
    for (let i = 1; i <= dsps; i += 1) addUser(`dsp${i}@${domain}`, 'dsp', organisation.id);
    if (!organisation.demo) addUser(`head@${domain}`, 'head_teacher', organisation.id);
    for (let i = 1; i <= staff; i += 1) addUser(`staff${i}@${domain}`, 'staff', organisation.id);
  }
  const officers = Math.max(1, Math.round(8 * Math.sqrt(scale)));
  for (let i = 1; i <= officers; i += 1) addUser(`mash${i}@cardiff.example`, 'la_mash', demo.localAuthorityId);
  for (let i = 1; i <= officers; i += 1)
    addUser(`earlyhelp${i}@cardiff.example`, 'la_early_help', demo.localAuthorityId);

  // The roll: the pupils apportioned by roll size (the demo schools a little bigger than most).
  const pupilRng = rng.fork('pupils');
  const generatedPupils = Math.max(0, Math.round(FULL_SCALE.pupils * scale) - demo.demoPupilCount);
  const rolls = apportion(
    generatedPupils,
    organisations.map((o) => ROLL_WEIGHT[o.phase] * (o.demo && o.phase !== 'pru' ? 1.25 : 1)),
  );
  const prus = organisations.map((o, i) => [o, i] as const).filter(([o]) => o.phase === 'pru');
  const schoolYear = schoolYearOf(now);
  const serials = new Map<string, number>();
  const pupils: WorldPupil[] = [];
  const households: WorldHousehold[] = [];
  organisations.forEach((organisation, school) => {
    let siblingsLeft = 0;
    let household: { id: string; lastName: string; homeLanguage: string } | null = null;
    for (let n = 0; n < rolls[school]; n += 1) {
      const yearGroup = pupilRng.pick(YEAR_GROUPS[organisation.phase]);
      const gender = pupilRng.weighted<Gender>([
        ['female', 0.49],
        ['male', 0.49],
        ['non_binary', 0.01],
        ['not_stated', 0.01],
      ]);
      const firstPool =
        gender === 'female' ? FIRST_NAMES_FEMALE : gender === 'male' ? FIRST_NAMES_MALE : FIRST_NAMES_NEUTRAL;
      let [lastName, homeLanguage] = pupilRng.pick(SURNAMES);
      let householdId: string | null = null;
      if (siblingsLeft > 0 && household) {
        ({ lastName, homeLanguage } = household);
        householdId = household.id;
        siblingsLeft -= 1;
      } else if (pupilRng.chance(0.14)) {
        // The first of two or three siblings on this roll.
        household = { id: pupilRng.uuid(), lastName, homeLanguage };
        households.push({ id: household.id, label: `${lastName} household` });
        householdId = household.id;
        siblingsLeft = pupilRng.chance(0.25) ? 2 : 1;
      }
      const welshMedium = organisation.nameCy !== null && organisation.name === organisation.nameCy;
      // Born in the school year that puts the pupil in `yearGroup` now (September to August).
      const birthStart = Date.UTC(schoolYear - 5 - yearGroup, 8, 1);
      const birth = new Date(birthStart + pupilRng.int(0, 364) * 86_400_000);
      const dateOfBirth = birth.toISOString().slice(0, 10);
      const entryYear = pad((birth.getUTCFullYear() + 4) % 100, 2);
      const serialKey = `${organisation.establishment}${entryYear}`;
      // The demo seed numbers its pupils from 1; generated ones at the demo schools start at 101.
      const serial = (serials.get(serialKey) ?? (organisation.demo ? 100 : 0)) + 1;
      serials.set(serialKey, serial);
      if (serial > 999) throw new Error(`More than 999 pupils in one UPN year at ${organisation.name}`);
      const joined =
        organisation.phase === 'primary'
          ? schoolYear - yearGroup
          : organisation.phase === 'secondary'
            ? schoolYear - (yearGroup - 7)
            : organisation.phase === 'special'
              ? schoolYear - Math.min(yearGroup, 4)
              : schoolYear - pupilRng.int(0, 1);
      const startedOn =
        organisation.phase === 'pru'
          ? new Date(Date.UTC(joined, 8, 1) + pupilRng.int(0, 200) * 86_400_000).toISOString().slice(0, 10)
          : `${joined}-09-01`;
      const eal = !['English', 'Welsh'].includes(homeLanguage) && pupilRng.chance(0.7);
      const dualAt =
        organisation.phase === 'secondary' && yearGroup >= 8 && yearGroup <= 11 && prus.length && pupilRng.chance(0.01)
          ? pupilRng.pick(prus)[1]
          : null;
      pupils.push({
        id: pupilRng.uuid(),
        upn: upnFor(`${LA_CODE}${organisation.establishment}${entryYear}${pad(serial, 3)}`),
        firstName: pupilRng.pick(firstPool),
        lastName,
        preferredName: pupilRng.chance(0.03) ? pupilRng.pick(FIRST_NAMES_NEUTRAL) : null,
        dateOfBirth,
        gender,
        yearGroup,
        homeLanguage,
        lookedAfter: pupilRng.chance(organisation.phase === 'pru' ? 0.06 : 0.01),
        cpRegister: pupilRng.chance(organisation.phase === 'pru' ? 0.04 : 0.007),
        aln: pupilRng.chance(organisation.phase === 'special' ? 0.95 : organisation.phase === 'pru' ? 0.5 : 0.15),
        youngCarer: pupilRng.chance(0.02),
        eal,
        fsm: pupilRng.chance(organisation.phase === 'pru' ? 0.6 : 0.2),
        welshSpeaker: welshMedium || (homeLanguage === 'Welsh' && pupilRng.chance(0.8)) || pupilRng.chance(0.05),
        householdId,
        school,
        dualAt,
        startedOn,
      });
    }
  });

  return { organisations, users, pupils, households };
}
