import { Gender } from '../school/pupil.entity';
import { Role } from '../common/roles';

/**
 * The demo world of API.md: Cardiff (demo), two schools and a PRU, the eleven demo accounts, and a
 * roll of pupils with valid UPNs, two sibling groups and one Hillcrest pupil dual-registered at Bridge.
 */
export type DemoOrganisationKey = 'cardiff' | 'riverside' | 'hillcrest' | 'bridge';

export const DEMO_ORGANISATIONS: Array<{
  key: DemoOrganisationKey;
  kind: 'local_authority' | 'school' | 'pru';
  name: string;
  /** The Welsh name, shown to Welsh readers (UCD: Uned Cyfeirio Disgyblion, a pupil referral unit). */
  nameCy: string;
  establishment?: string;
}> = [
  { key: 'cardiff', kind: 'local_authority', name: 'Cardiff (demo)', nameCy: 'Caerdydd (demo)' },
  {
    key: 'riverside',
    kind: 'school',
    name: 'Riverside Primary',
    nameCy: 'Ysgol Gynradd Glan yr Afon',
    establishment: '2101',
  },
  {
    key: 'hillcrest',
    kind: 'school',
    name: 'Hillcrest High',
    nameCy: 'Ysgol Uwchradd Bryn Celyn',
    establishment: '4012',
  },
  { key: 'bridge', kind: 'pru', name: 'Bridge PRU', nameCy: 'UCD y Bont', establishment: '1100' },
];

export const DEMO_ACCOUNTS: Array<{
  email: string;
  name: string;
  role: Role;
  organisation: DemoOrganisationKey;
  language: 'en' | 'cy';
}> = [
  { email: 'teacher@riverside.example', name: 'Tomos Evans', role: 'staff', organisation: 'riverside', language: 'en' },
  { email: 'dsp@riverside.example', name: 'Siân Morgan', role: 'dsp', organisation: 'riverside', language: 'en' },
  {
    email: 'head@riverside.example',
    name: 'Gareth Price',
    role: 'head_teacher',
    organisation: 'riverside',
    language: 'en',
  },
  {
    email: 'teacher@hillcrest.example',
    name: 'Rhian Davies',
    role: 'staff',
    organisation: 'hillcrest',
    language: 'en',
  },
  { email: 'dsp@hillcrest.example', name: 'Owain Hughes', role: 'dsp', organisation: 'hillcrest', language: 'en' },
  {
    email: 'head@hillcrest.example',
    name: 'Catrin Jenkins',
    role: 'head_teacher',
    organisation: 'hillcrest',
    language: 'en',
  },
  { email: 'dsp@bridge.example', name: 'Dylan Roberts', role: 'dsp', organisation: 'bridge', language: 'en' },
  { email: 'mash@cardiff.example', name: 'Bethan Lewis', role: 'la_mash', organisation: 'cardiff', language: 'en' },
  {
    email: 'earlyhelp@cardiff.example',
    name: 'Nia Thomas',
    role: 'la_early_help',
    organisation: 'cardiff',
    language: 'en',
  },
  { email: 'lead@cardiff.example', name: 'Huw Williams', role: 'la_lead', organisation: 'cardiff', language: 'en' },
  { email: 'admin@cardiff.example', name: 'Alex Parry', role: 'admin', organisation: 'cardiff', language: 'en' },
];

export interface DemoPupil {
  key: string;
  firstName: string;
  lastName: string;
  preferredName?: string;
  gender: Gender;
  /** 0 is Reception. */
  yearGroup: number;
  /** Month and day of birth; the year follows from the year group in the 2026/27 school year. */
  birthday: [number, number];
  homeLanguage: string;
  flags?: Array<'looked_after' | 'cp_register' | 'aln' | 'young_carer' | 'eal' | 'fsm' | 'welsh_speaker'>;
  school: DemoOrganisationKey;
  dualAt?: DemoOrganisationKey;
  household?: 'jones' | 'hassan';
}

export const DEMO_PUPILS: DemoPupil[] = [
  // Riverside Primary
  {
    key: 'ffion-jones',
    firstName: 'Ffion',
    lastName: 'Jones',
    gender: 'female',
    yearGroup: 4,
    birthday: [3, 14],
    homeLanguage: 'Welsh',
    flags: ['welsh_speaker', 'fsm'],
    school: 'riverside',
    household: 'jones',
  },
  {
    key: 'amira-hassan',
    firstName: 'Amira',
    lastName: 'Hassan',
    gender: 'female',
    yearGroup: 2,
    birthday: [11, 2],
    homeLanguage: 'Arabic',
    flags: ['eal'],
    school: 'riverside',
    household: 'hassan',
  },
  {
    key: 'yusuf-hassan',
    firstName: 'Yusuf',
    lastName: 'Hassan',
    gender: 'male',
    yearGroup: 5,
    birthday: [6, 21],
    homeLanguage: 'Arabic',
    flags: ['eal', 'young_carer'],
    school: 'riverside',
    household: 'hassan',
  },
  {
    key: 'osian-williams',
    firstName: 'Osian',
    lastName: 'Williams',
    gender: 'male',
    yearGroup: 6,
    birthday: [9, 30],
    homeLanguage: 'English',
    flags: ['aln'],
    school: 'riverside',
  },
  {
    key: 'lily-evans',
    firstName: 'Lily',
    lastName: 'Evans',
    gender: 'female',
    yearGroup: 1,
    birthday: [1, 8],
    homeLanguage: 'English',
    school: 'riverside',
  },
  {
    key: 'jacob-brown',
    firstName: 'Jacob',
    lastName: 'Brown',
    preferredName: 'Jake',
    gender: 'male',
    yearGroup: 3,
    birthday: [4, 17],
    homeLanguage: 'English',
    flags: ['fsm'],
    school: 'riverside',
  },
  {
    key: 'mali-roberts',
    firstName: 'Mali',
    lastName: 'Roberts',
    gender: 'female',
    yearGroup: 0,
    birthday: [10, 12],
    homeLanguage: 'Welsh',
    flags: ['welsh_speaker'],
    school: 'riverside',
  },
  {
    key: 'zofia-nowak',
    firstName: 'Zofia',
    lastName: 'Nowak',
    gender: 'female',
    yearGroup: 4,
    birthday: [7, 3],
    homeLanguage: 'Polish',
    flags: ['eal'],
    school: 'riverside',
  },
  {
    key: 'ethan-taylor',
    firstName: 'Ethan',
    lastName: 'Taylor',
    gender: 'male',
    yearGroup: 5,
    birthday: [2, 26],
    homeLanguage: 'English',
    flags: ['looked_after'],
    school: 'riverside',
  },
  {
    key: 'isla-thomas',
    firstName: 'Isla',
    lastName: 'Thomas',
    gender: 'female',
    yearGroup: 6,
    birthday: [12, 19],
    homeLanguage: 'English',
    school: 'riverside',
  },
  {
    key: 'dewi-lloyd',
    firstName: 'Dewi',
    lastName: 'Lloyd',
    gender: 'male',
    yearGroup: 2,
    birthday: [5, 5],
    homeLanguage: 'Welsh',
    flags: ['welsh_speaker'],
    school: 'riverside',
  },
  {
    key: 'grace-okafor',
    firstName: 'Grace',
    lastName: 'Okafor',
    gender: 'female',
    yearGroup: 3,
    birthday: [8, 11],
    homeLanguage: 'English',
    school: 'riverside',
  },
  // Hillcrest High
  {
    key: 'rhys-jones',
    firstName: 'Rhys',
    lastName: 'Jones',
    gender: 'male',
    yearGroup: 9,
    birthday: [10, 4],
    homeLanguage: 'Welsh',
    flags: ['welsh_speaker', 'fsm', 'young_carer'],
    school: 'hillcrest',
    household: 'jones',
  },
  {
    key: 'kai-morgan',
    firstName: 'Kai',
    lastName: 'Morgan',
    gender: 'male',
    yearGroup: 10,
    birthday: [3, 29],
    homeLanguage: 'English',
    flags: ['aln', 'fsm'],
    school: 'hillcrest',
    dualAt: 'bridge',
  },
  {
    key: 'chloe-davies',
    firstName: 'Chloe',
    lastName: 'Davies',
    gender: 'female',
    yearGroup: 8,
    birthday: [6, 15],
    homeLanguage: 'English',
    school: 'hillcrest',
  },
  {
    key: 'sam-oconnor',
    firstName: 'Sam',
    lastName: "O'Connor",
    gender: 'non_binary',
    yearGroup: 11,
    birthday: [1, 23],
    homeLanguage: 'English',
    school: 'hillcrest',
  },
  {
    key: 'hana-ahmed',
    firstName: 'Hana',
    lastName: 'Ahmed',
    gender: 'female',
    yearGroup: 7,
    birthday: [9, 9],
    homeLanguage: 'Bengali',
    flags: ['eal'],
    school: 'hillcrest',
  },
  {
    key: 'liam-walsh',
    firstName: 'Liam',
    lastName: 'Walsh',
    gender: 'male',
    yearGroup: 12,
    birthday: [11, 30],
    homeLanguage: 'English',
    school: 'hillcrest',
  },
  {
    key: 'megan-price',
    firstName: 'Megan',
    lastName: 'Price',
    gender: 'female',
    yearGroup: 13,
    birthday: [2, 2],
    homeLanguage: 'English',
    flags: ['looked_after'],
    school: 'hillcrest',
  },
  {
    key: 'tomasz-kowalski',
    firstName: 'Tomasz',
    lastName: 'Kowalski',
    gender: 'male',
    yearGroup: 9,
    birthday: [7, 18],
    homeLanguage: 'Polish',
    flags: ['eal'],
    school: 'hillcrest',
  },
  {
    key: 'elin-griffiths',
    firstName: 'Elin',
    lastName: 'Griffiths',
    gender: 'female',
    yearGroup: 10,
    birthday: [12, 1],
    homeLanguage: 'Welsh',
    flags: ['welsh_speaker'],
    school: 'hillcrest',
  },
  {
    key: 'noah-smith',
    firstName: 'Noah',
    lastName: 'Smith',
    gender: 'male',
    yearGroup: 8,
    birthday: [4, 6],
    homeLanguage: 'English',
    flags: ['fsm'],
    school: 'hillcrest',
  },
  {
    key: 'ava-mensah',
    firstName: 'Ava',
    lastName: 'Mensah',
    gender: 'female',
    yearGroup: 11,
    birthday: [8, 27],
    homeLanguage: 'English',
    school: 'hillcrest',
  },
  {
    key: 'callum-reed',
    firstName: 'Callum',
    lastName: 'Reed',
    gender: 'male',
    yearGroup: 7,
    birthday: [5, 14],
    homeLanguage: 'English',
    flags: ['aln'],
    school: 'hillcrest',
  },
  // Bridge PRU's own roll
  {
    key: 'jordan-pike',
    firstName: 'Jordan',
    lastName: 'Pike',
    gender: 'male',
    yearGroup: 10,
    birthday: [10, 20],
    homeLanguage: 'English',
    flags: ['aln', 'fsm'],
    school: 'bridge',
  },
  {
    key: 'leah-morris',
    firstName: 'Leah',
    lastName: 'Morris',
    gender: 'female',
    yearGroup: 9,
    birthday: [3, 3],
    homeLanguage: 'English',
    flags: ['looked_after'],
    school: 'bridge',
  },
];

/** Born in the school year that puts the pupil in `yearGroup` in 2026/27 (September to August). */
export function demoDateOfBirth(yearGroup: number, [month, day]: [number, number]): string {
  const year = month >= 9 ? 2021 - yearGroup : 2022 - yearGroup;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
