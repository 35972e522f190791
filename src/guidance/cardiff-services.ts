/**
 * Cardiff's services directory: the default seed of a local authority's directory (DOMAIN.md,
 * "Cardiff services directory"). Each local authority can change it in configuration; it must keep at
 * least one untagged service for level 2 and one for level 3 so those answers always list something.
 *
 * Level ranges use severity order 1 < 2 < 3 < 4 < 0, so `minLevel: 4, maxLevel: 0` means "level 4 or
 * the emergency". Phone numbers other than 999, 101 and 111 are deliberately left to the local
 * authority's configuration, so that a wrong number can never be shown from code.
 */
import type { ServiceDirectoryEntry } from './guidance-engine';

export const CARDIFF_SERVICES: ServiceDirectoryEntry[] = [
  // --- Front door for early help (information and advice from level 1) ----------------------
  {
    code: 'family_gateway',
    name: {
      en: 'Cardiff Family Advice and Support (Family Gateway)',
      cy: 'Cyngor a Chymorth i Deuluoedd Caerdydd (Porth Teuluoedd)',
    },
    description: {
      en: 'The front door for early help in Cardiff. Families, young people and professionals can ask for information, advice or support, and the team finds the right help, from a single conversation to Family Help or a Family Support Team.',
      cy: "Y drws ffrynt ar gyfer cymorth cynnar yng Nghaerdydd. Gall teuluoedd, pobl ifanc a gweithwyr proffesiynol ofyn am wybodaeth, cyngor neu gymorth, ac mae'r tîm yn dod o hyd i'r help iawn, o un sgwrs i Help i Deuluoedd neu Dîm Cymorth i Deuluoedd.",
    },
    howToAccess: {
      en: "With the family's consent, send an early help referral from this system. The family can also contact the Family Gateway themselves by phone, email or online form.",
      cy: "Gyda chaniatâd y teulu, anfonwch atgyfeiriad cymorth cynnar o'r system hon. Gall y teulu hefyd gysylltu â'r Porth Teuluoedd eu hunain dros y ffôn, drwy e-bost neu drwy ffurflen ar-lein.",
    },
    minLevel: 1,
    maxLevel: 3,
    issueTags: [],
  },

  // --- School-led (level 2, some also at level 3) ----------------------------------------------
  {
    code: 'elsa',
    name: {
      en: 'ELSA (emotional literacy support assistant)',
      cy: 'ELSA (cynorthwyydd cymorth llythrennedd emosiynol)',
    },
    description: {
      en: 'A trained teaching assistant works with the pupil, one to one or in a small group, usually weekly for six to twelve weeks, on feelings, friendships, self-esteem, loss or anger.',
      cy: "Mae cynorthwyydd addysgu hyfforddedig yn gweithio gyda'r disgybl, un i un neu mewn grŵp bach, fel arfer bob wythnos am chwech i ddeuddeg wythnos, ar deimladau, cyfeillgarwch, hunan-barch, colled neu ddicter.",
    },
    howToAccess: {
      en: "Ask your school's ELSA or inclusion lead. The ELSA agrees goals with the pupil, the class teacher and the family.",
      cy: "Gofynnwch i ELSA neu arweinydd cynhwysiant eich ysgol. Mae'r ELSA yn cytuno ar nodau gyda'r disgybl, yr athro dosbarth a'r teulu.",
    },
    minLevel: 2,
    maxLevel: 2,
    issueTags: [],
  },
  {
    code: 'thrive',
    name: { en: 'THRIVE approach', cy: 'Dull THRIVE' },
    description: {
      en: "A whole-school approach to children's social and emotional development. A licensed practitioner assesses the pupil's needs and sets up an action plan of relationship-based activities in class and in small groups.",
      cy: "Dull ysgol gyfan o ymdrin â datblygiad cymdeithasol ac emosiynol plant. Mae ymarferydd trwyddedig yn asesu anghenion y disgybl ac yn llunio cynllun gweithredu o weithgareddau sy'n seiliedig ar berthnasoedd yn y dosbarth ac mewn grwpiau bach.",
    },
    howToAccess: {
      en: "Ask your school's THRIVE practitioner for a THRIVE assessment. Where the school has none, the Team Around the Cluster can advise.",
      cy: 'Gofynnwch i ymarferydd THRIVE eich ysgol am asesiad THRIVE. Os nad oes un gan yr ysgol, gall y Tîm o Amgylch y Clwstwr roi cyngor.',
    },
    minLevel: 2,
    maxLevel: 3,
    issueTags: ['behaviour', 'exclusion_risk', 'bullying', 'mental_health', 'attendance', 'anti_social_behaviour'],
  },
  {
    code: 'school_counselling',
    name: { en: 'School-based counselling', cy: 'Cwnsela mewn ysgolion' },
    description: {
      en: 'Independent, confidential counselling for learners in Year 6 and in secondary school, which every local authority in Wales must provide. Sessions take place in school time.',
      cy: "Cwnsela annibynnol a chyfrinachol i ddysgwyr ym Mlwyddyn 6 ac yn yr ysgol uwchradd, y mae'n rhaid i bob awdurdod lleol yng Nghymru ei ddarparu. Cynhelir y sesiynau yn ystod amser ysgol.",
    },
    howToAccess: {
      en: "Refer through your school's counselling link person, or the learner can ask for counselling themselves. A learner who understands what counselling involves can consent for themselves.",
      cy: "Atgyfeiriwch drwy berson cyswllt cwnsela eich ysgol, neu gall y dysgwr ofyn am gwnsela ei hun. Gall dysgwr sy'n deall beth yw cwnsela gydsynio drosto'i hun.",
    },
    minLevel: 2,
    maxLevel: 3,
    issueTags: [
      'mental_health',
      'self_harm',
      'bullying',
      'online_safety',
      'young_carer',
      'parental_mental_health',
      'parental_substance_misuse',
      'parent_in_custody',
    ],
  },
  {
    code: 'team_around_the_school',
    name: { en: 'Team Around the School', cy: 'Tîm o Amgylch yr Ysgol' },
    description: {
      en: 'A regular meeting of school staff with the educational psychologist, education welfare, school nursing and other services, to agree a plan for learners whose needs the school cannot meet alone.',
      cy: "Cyfarfod rheolaidd rhwng staff yr ysgol a'r seicolegydd addysg, y gwasanaeth lles addysg, nyrsys ysgol a gwasanaethau eraill, i gytuno ar gynllun ar gyfer dysgwyr na all yr ysgol ddiwallu eu hanghenion ar ei phen ei hun.",
    },
    howToAccess: {
      en: "With the family's agreement, ask the DSP or the ALNCo to add the pupil to the agenda of the next Team Around the School meeting.",
      cy: "Gyda chytundeb y teulu, gofynnwch i'r person diogelu dynodedig neu'r CADY ychwanegu'r disgybl at agenda cyfarfod nesaf y Tîm o Amgylch yr Ysgol.",
    },
    minLevel: 2,
    maxLevel: 3,
    issueTags: [],
  },
  {
    code: 'team_around_the_cluster',
    name: { en: 'Team Around the Cluster', cy: 'Tîm o Amgylch y Clwstwr' },
    description: {
      en: 'Schools in a cluster share specialist staff and meet with partner agencies to plan support for learners at risk of disengaging, missing education or exclusion.',
      cy: 'Mae ysgolion mewn clwstwr yn rhannu staff arbenigol ac yn cyfarfod ag asiantaethau partner i gynllunio cymorth i ddysgwyr sydd mewn perygl o ymddieithrio, colli addysg neu gael eu gwahardd.',
    },
    howToAccess: {
      en: 'The head teacher or DSP brings the case to the cluster meeting. Ask your cluster lead for the dates.',
      cy: "Mae'r pennaeth neu'r person diogelu dynodedig yn dod â'r achos i gyfarfod y clwstwr. Gofynnwch i arweinydd eich clwstwr am y dyddiadau.",
    },
    minLevel: 2,
    maxLevel: 3,
    issueTags: ['attendance', 'behaviour', 'exclusion_risk', 'missing_education', 'anti_social_behaviour', 'bullying'],
  },
  {
    code: 'emotional_wellbeing_spoa',
    name: { en: 'Emotional wellbeing single point of access', cy: 'Pwynt mynediad sengl ar gyfer lles emosiynol' },
    description: {
      en: 'One place to ask for emotional wellbeing and mental health support for children and young people. The team directs each request to the right service, from online and group support to specialist CAMHS.',
      cy: "Un man i ofyn am gymorth lles emosiynol ac iechyd meddwl i blant a phobl ifanc. Mae'r tîm yn cyfeirio pob cais at y gwasanaeth iawn, o gymorth ar-lein a grwpiau i CAMHS arbenigol.",
    },
    howToAccess: {
      en: 'Professionals, parents and young people can refer by phone or online form; say what the school has already tried. In a mental health crisis, call 111 and press 2, or 999.',
      cy: "Gall gweithwyr proffesiynol, rhieni a phobl ifanc atgyfeirio dros y ffôn neu drwy ffurflen ar-lein; nodwch beth mae'r ysgol eisoes wedi rhoi cynnig arno. Mewn argyfwng iechyd meddwl, ffoniwch 111 a phwyso 2, neu 999.",
    },
    minLevel: 2,
    maxLevel: 3,
    issueTags: ['mental_health', 'self_harm'],
  },

  // --- Early help (level 3) --------------------------------------------------------------------
  {
    code: 'family_help',
    name: { en: 'Family Help', cy: 'Help i Deuluoedd' },
    description: {
      en: 'Practical and emotional support at home for families with several needs, such as routines, parenting, money, housing or relationships, from a named family help worker.',
      cy: 'Cymorth ymarferol ac emosiynol yn y cartref i deuluoedd sydd â sawl angen, fel arferion dyddiol, magu plant, arian, tai neu berthnasoedd, gan weithiwr help i deuluoedd penodol.',
    },
    howToAccess: {
      en: "Through the Family Gateway: send an early help referral from this system with the family's consent.",
      cy: "Drwy'r Porth Teuluoedd: anfonwch atgyfeiriad cymorth cynnar o'r system hon gyda chaniatâd y teulu.",
    },
    minLevel: 3,
    maxLevel: 3,
    issueTags: [],
  },
  {
    code: 'family_support_teams',
    name: { en: 'Family Support Teams', cy: 'Timau Cymorth i Deuluoedd' },
    description: {
      en: 'Intensive, time-limited work with families whose needs are more complex, to stop problems growing and avoid the need for statutory services, often through a Team Around the Family plan.',
      cy: "Gwaith dwys am gyfnod penodol gyda theuluoedd sydd ag anghenion mwy cymhleth, i atal problemau rhag tyfu ac osgoi'r angen am wasanaethau statudol, yn aml drwy gynllun Tîm o Amgylch y Teulu.",
    },
    howToAccess: {
      en: "Through the Family Gateway, with the family's consent. The Gateway decides with you whether Family Help or a Family Support Team fits best.",
      cy: "Drwy'r Porth Teuluoedd, gyda chaniatâd y teulu. Mae'r Porth yn penderfynu gyda chi ai Help i Deuluoedd neu Dîm Cymorth i Deuluoedd sydd fwyaf addas.",
    },
    minLevel: 3,
    maxLevel: 3,
    issueTags: [
      'parental_substance_misuse',
      'parental_mental_health',
      'housing',
      'financial_hardship',
      'young_carer',
      'missing_education',
      'parent_in_custody',
      'exclusion_risk',
    ],
  },
  {
    code: 'adolescent_resource_centre',
    name: { en: 'Adolescent Resource Centre', cy: "Canolfan Adnoddau'r Glasoed" },
    description: {
      en: 'Support for young people aged 11 to 17 and their families when relationships at home are breaking down or the young person is at risk outside the home, including going missing, substance misuse or exploitation.',
      cy: "Cymorth i bobl ifanc 11 i 17 oed a'u teuluoedd pan fydd perthnasoedd yn y cartref yn chwalu neu pan fydd y person ifanc mewn perygl y tu allan i'r cartref, gan gynnwys mynd ar goll, camddefnyddio sylweddau neu gamfanteisio.",
    },
    howToAccess: {
      en: 'Through the Family Gateway for early help, or through MASH when the young person is at risk. Say in the referral that you think the Adolescent Resource Centre fits.',
      cy: "Drwy'r Porth Teuluoedd ar gyfer cymorth cynnar, neu drwy'r Hyb Diogelu Amlasiantaethol pan fydd y person ifanc yn wynebu risg. Nodwch yn yr atgyfeiriad eich bod yn credu bod Canolfan Adnoddau'r Glasoed yn addas.",
    },
    minLevel: 3,
    maxLevel: 4,
    issueTags: [
      'missing_from_home',
      'substance_misuse',
      'anti_social_behaviour',
      'exclusion_risk',
      'child_criminal_exploitation',
      'child_sexual_exploitation',
      'harmful_sexual_behaviour',
      'self_harm',
    ],
  },

  // --- Statutory (level 4 and the emergency) -----------------------------------------------------
  {
    code: 'mash',
    name: {
      en: "MASH (Multi-Agency Safeguarding Hub, Children's Services)",
      cy: 'Hyb Diogelu Amlasiantaethol (MASH, Gwasanaethau Plant)',
    },
    description: {
      en: "Children's Services, police, health, education and other agencies working together to decide, within one working day, what happens when a child may be at risk: a strategy discussion, a care and support assessment, early help or advice.",
      cy: "Gwasanaethau Plant, yr heddlu, iechyd, addysg ac asiantaethau eraill yn cydweithio i benderfynu, o fewn un diwrnod gwaith, beth sy'n digwydd pan allai plentyn fod yn wynebu risg: trafodaeth strategaeth, asesiad gofal a chymorth, cymorth cynnar neu gyngor.",
    },
    howToAccess: {
      en: 'The DSP sends the MASH referral from this system the same day; if no DSP can be reached, anyone may report. If you phone MASH first, confirm it in writing within 24 hours. Do not wait for consent if asking for it would put the child at further risk.',
      cy: "Mae'r person diogelu dynodedig yn anfon yr atgyfeiriad i'r Hyb Diogelu Amlasiantaethol o'r system hon yr un diwrnod; os na ellir cysylltu ag unrhyw berson diogelu dynodedig, gall unrhyw un roi gwybod. Os byddwch yn ffonio'r Hyb yn gyntaf, cadarnhewch hynny yn ysgrifenedig o fewn 24 awr. Peidiwch ag aros am gydsyniad os byddai gofyn amdano yn rhoi'r plentyn mewn mwy o berygl.",
    },
    minLevel: 4,
    maxLevel: 0,
    issueTags: [],
  },
  {
    code: 'emergency_duty_team',
    name: { en: 'Emergency Duty Team (out of hours)', cy: 'Tîm Dyletswydd Argyfwng (y tu allan i oriau)' },
    description: {
      en: "Children's Services social workers for child protection emergencies in the evening, overnight, at weekends and on bank holidays, when MASH is closed.",
      cy: "Gweithwyr cymdeithasol y Gwasanaethau Plant ar gyfer argyfyngau amddiffyn plant gyda'r nos, dros nos, ar benwythnosau ac ar wyliau banc, pan fydd yr Hyb Diogelu Amlasiantaethol ar gau.",
    },
    howToAccess: {
      en: 'Phone the Emergency Duty Team when a child cannot safely wait for MASH to open, then send the referral from this system on the next working day. If the child is in immediate danger, call 999 first.',
      cy: "Ffoniwch y Tîm Dyletswydd Argyfwng pan na all plentyn aros yn ddiogel i'r Hyb Diogelu Amlasiantaethol agor, yna anfonwch yr atgyfeiriad o'r system hon ar y diwrnod gwaith nesaf. Os yw'r plentyn mewn perygl uniongyrchol, ffoniwch 999 yn gyntaf.",
    },
    minLevel: 4,
    maxLevel: 0,
    issueTags: [],
  },
  {
    code: 'police',
    name: { en: 'Police (999)', cy: 'Yr heddlu (999)' },
    description: {
      en: 'South Wales Police respond straight away when a child is in immediate danger, has gone missing or needs protecting now.',
      cy: 'Mae Heddlu De Cymru yn ymateb ar unwaith pan fydd plentyn mewn perygl uniongyrchol, wedi mynd ar goll neu angen ei amddiffyn nawr.',
    },
    howToAccess: {
      en: 'Call 999 now; for a medical emergency, ask for an ambulance. Then tell the DSP and report to MASH from this system as soon as the child is safe.',
      cy: "Ffoniwch 999 nawr; mewn argyfwng meddygol, gofynnwch am ambiwlans. Yna rhowch wybod i'r person diogelu dynodedig ac i'r Hyb Diogelu Amlasiantaethol o'r system hon cyn gynted ag y bydd y plentyn yn ddiogel.",
    },
    minLevel: 0,
    maxLevel: 0,
    issueTags: [],
  },
  {
    code: 'police_non_emergency',
    name: { en: 'Police (101)', cy: 'Yr heddlu (101)' },
    description: {
      en: "South Wales Police's non-emergency line, for crimes against children that are not happening now, such as exploitation, trafficking, radicalisation, forced marriage or FGM. Teachers must themselves report to the police known FGM in a girl under 18.",
      cy: "Llinell ddi-argyfwng Heddlu De Cymru, ar gyfer troseddau yn erbyn plant nad ydynt yn digwydd nawr, fel camfanteisio, masnachu pobl, radicaleiddio, priodas dan orfod neu FGM. Rhaid i athrawon eu hunain roi gwybod i'r heddlu am FGM hysbys mewn merch dan 18 oed.",
    },
    howToAccess: {
      en: 'Call 101 or report online, write the police reference number in this system, and still report to MASH the same day.',
      cy: "Ffoniwch 101 neu rhowch wybod ar-lein, ysgrifennwch gyfeirnod yr heddlu yn y system hon, a rhowch wybod i'r Hyb Diogelu Amlasiantaethol yr un diwrnod hefyd.",
    },
    minLevel: 4,
    maxLevel: 4,
    issueTags: [
      'child_criminal_exploitation',
      'child_sexual_exploitation',
      'trafficking',
      'radicalisation',
      'forced_marriage',
      'fgm',
    ],
  },
  {
    code: 'designated_officer',
    name: { en: 'Designated Officer (allegations against staff)', cy: 'Swyddog Dynodedig (honiadau yn erbyn staff)' },
    description: {
      en: "The local authority officer who manages allegations and concerns about anyone who works or volunteers with children, including school staff, and decides with the employer, the police and Children's Services what happens next.",
      cy: "Swyddog yr awdurdod lleol sy'n rheoli honiadau a phryderon am unrhyw un sy'n gweithio neu'n gwirfoddoli gyda phlant, gan gynnwys staff ysgol, ac sy'n penderfynu gyda'r cyflogwr, yr heddlu a'r Gwasanaethau Plant beth sy'n digwydd nesaf.",
    },
    howToAccess: {
      en: 'For allegations against staff or volunteers only: send a Designated Officer referral from this system the same day and tell the head teacher, or the chair of governors if the allegation is about the head teacher. Do not tell the person concerned or investigate yourself.',
      cy: "Ar gyfer honiadau yn erbyn staff neu wirfoddolwyr yn unig: anfonwch atgyfeiriad at y Swyddog Dynodedig o'r system hon yr un diwrnod a rhowch wybod i'r pennaeth, neu i gadeirydd y llywodraethwyr os yw'r honiad am y pennaeth. Peidiwch â dweud wrth y person dan sylw nac ymchwilio eich hun.",
    },
    minLevel: 4,
    maxLevel: 0,
    issueTags: [],
  },
];
