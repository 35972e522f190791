import { ConcernCategory, ConcernContext, EvidenceBasis, IssueCode, RiskIndicator } from '../../src/guidance/codes';

/**
 * The kinds of concern a school records, roughly as often as schools record them: most are wellbeing,
 * attendance and behaviour; a few are disclosures, injuries and emergencies. `{name}` is the pupil's
 * first name. Summaries are factual, as the recording guidance asks.
 */
export interface ConcernTemplate {
  weight: number;
  category: ConcernCategory;
  issues: IssueCode[];
  indicators: RiskIndicator[];
  context: ConcernContext | null;
  evidenceBasis: EvidenceBasis;
  summaries: string[];
  childsWords?: string[];
  actionTaken?: string[];
  /** Physical injuries get a body-map mark. */
  bodyMap?: boolean;
}

export const CONCERN_TEMPLATES: ConcernTemplate[] = [
  {
    weight: 14,
    category: 'wellbeing',
    issues: ['attendance'],
    indicators: [],
    context: null,
    evidenceBasis: 'observed',
    summaries: [
      '{name} has been late five times this fortnight and missed two Monday mornings.',
      'Attendance has dropped to 82% this half term; {name} says mornings are hard at home.',
      '{name} was absent again today with no call from home; third unexplained absence this month.',
    ],
    actionTaken: ['Attendance officer informed; first-day call made.', 'Letter home and a meeting offered.'],
  },
  {
    weight: 12,
    category: 'wellbeing',
    issues: ['behaviour'],
    indicators: [],
    context: 'peer',
    evidenceBasis: 'observed',
    summaries: [
      '{name} threw a chair in class after being asked to move seats; calmed down in the nurture room.',
      '{name} was involved in a fight at lunch; very upset afterwards and would not say why.',
      'Repeated refusal to follow instructions today; {name} said nobody listens to them anyway.',
    ],
  },
  {
    weight: 10,
    category: 'wellbeing',
    issues: ['mental_health'],
    indicators: [],
    context: null,
    evidenceBasis: 'disclosed_by_child',
    summaries: [
      '{name} said they have been feeling low for weeks and cannot sleep.',
      '{name} was tearful in form time and said they worry about everything at the moment.',
    ],
    childsWords: ['I just feel sad all the time.', "Dw i ddim yn cysgu'n dda.", "I don't want to talk to anyone."],
  },
  {
    weight: 8,
    category: 'wellbeing',
    issues: ['bullying'],
    indicators: [],
    context: 'peer',
    evidenceBasis: 'disclosed_by_child',
    summaries: [
      '{name} said older pupils have been taking their things and calling them names on the bus.',
      '{name} reported being left out and mocked in a group chat by classmates.',
    ],
    childsWords: ['They said they would get me if I told.'],
    actionTaken: ['Spoke with the pupils involved; parents informed.'],
  },
  {
    weight: 6,
    category: 'wellbeing',
    issues: ['online_safety'],
    indicators: [],
    context: 'online',
    evidenceBasis: 'disclosed_by_child',
    summaries: [
      '{name} showed me messages from someone they met in a game asking for their address.',
      '{name} said a stranger online keeps asking them to video call when their parents are out.',
    ],
  },
  {
    weight: 6,
    category: 'neglect',
    issues: ['financial_hardship'],
    indicators: [],
    context: 'family',
    evidenceBasis: 'observed',
    summaries: [
      '{name} arrived without a coat again in cold weather and asked for extra food at breakfast club.',
      "Uniform unwashed for over a week; {name} was hungry and took food from other children's lunch boxes.",
    ],
    actionTaken: ['Gave a coat from lost property and made sure of breakfast.'],
  },
  {
    weight: 5,
    category: 'wellbeing',
    issues: ['young_carer', 'parental_mental_health'],
    indicators: [],
    context: 'family',
    evidenceBasis: 'disclosed_by_child',
    summaries: ['{name} is falling asleep in lessons; says they are up at night looking after a parent.'],
    childsWords: ["Dw i'n gwneud popeth adre ar hyn o bryd.", 'Mum is poorly so I do the shopping.'],
  },
  {
    weight: 4,
    category: 'wellbeing',
    issues: ['housing', 'financial_hardship'],
    indicators: [],
    context: 'family',
    evidenceBasis: 'reported_by_other',
    summaries: ['Parent told the office the family has been evicted and is staying with relatives across the city.'],
  },
  {
    weight: 4,
    category: 'emotional',
    issues: ['domestic_abuse'],
    indicators: [],
    context: 'family',
    evidenceBasis: 'disclosed_by_child',
    summaries: [
      '{name} said there was shouting and smashing at home last night and the police came.',
      'Police notification (Encompass) received: incident at the family home overnight; {name} present.',
    ],
    childsWords: ['Dad was shouting at Mum again and I hid upstairs.'],
  },
  {
    weight: 4,
    category: 'physical',
    issues: [],
    indicators: [],
    context: null,
    evidenceBasis: 'observed',
    summaries: [
      "Bruise on {name}'s upper arm noticed while changing for PE; {name} said they fell off a bike.",
      "Mark on {name}'s cheek this morning; explanation given was a fall in the garden.",
    ],
    childsWords: ['I fell over.'],
    bodyMap: true,
  },
  {
    weight: 1.5,
    category: 'physical',
    issues: [],
    indicators: ['injury_suspected_non_accidental'],
    context: 'family',
    evidenceBasis: 'observed',
    summaries: ["Finger-tip bruising on both of {name}'s upper arms; {name} would not say how it happened."],
    bodyMap: true,
  },
  {
    weight: 1.5,
    category: 'physical',
    issues: [],
    indicators: ['disclosure_of_abuse', 'afraid_to_go_home'],
    context: 'family',
    evidenceBasis: 'disclosed_by_child',
    summaries: ['{name} told me their stepfather hits them with a belt and they do not want to go home tonight.'],
    childsWords: ["Please don't tell him I said.", "I don't want to go home."],
    bodyMap: true,
  },
  {
    weight: 3,
    category: 'wellbeing',
    issues: ['self_harm', 'mental_health'],
    indicators: [],
    context: null,
    evidenceBasis: 'reported_by_other',
    summaries: ['A friend told me {name} has cuts on their forearm; {name} confirmed and said they are not recent.'],
    actionTaken: ['School nurse checked; no treatment needed.'],
  },
  {
    weight: 0.6,
    category: 'wellbeing',
    issues: ['self_harm'],
    indicators: ['suicidal_intent'],
    context: null,
    evidenceBasis: 'disclosed_by_child',
    summaries: ['{name} said they have a plan to end their life tonight.'],
    actionTaken: ['Stayed with {name}; parent and GP called; 999 advised.'],
  },
  {
    weight: 2,
    category: 'wellbeing',
    issues: ['substance_misuse'],
    indicators: [],
    context: 'extra_familial',
    evidenceBasis: 'observed',
    summaries: ['{name} smelt strongly of cannabis after lunch and was seen with older youths at the gate.'],
  },
  {
    weight: 1.2,
    category: 'wellbeing',
    issues: ['child_criminal_exploitation', 'missing_education'],
    indicators: ['exploitation_indicators'],
    context: 'extra_familial',
    evidenceBasis: 'observed',
    summaries: ['{name} has new expensive trainers and two phones and was seen getting into a car with older men.'],
  },
  {
    weight: 1.5,
    category: 'wellbeing',
    issues: ['missing_from_home'],
    indicators: [],
    context: 'extra_familial',
    evidenceBasis: 'reported_by_other',
    summaries: ['Parent called: {name} did not come home last night and was found by police this morning.'],
  },
  {
    weight: 0.3,
    category: 'wellbeing',
    issues: ['missing_from_home'],
    indicators: ['child_missing_now'],
    context: 'extra_familial',
    evidenceBasis: 'reported_by_other',
    summaries: ['{name} left school at lunch and has not been seen since; phone switched off.'],
  },
  {
    weight: 1.5,
    category: 'sexual',
    issues: ['harmful_sexual_behaviour'],
    indicators: [],
    context: 'peer',
    evidenceBasis: 'reported_by_other',
    summaries: ['Pupils report {name} shared a sexual image of a classmate in a group chat.'],
  },
  {
    weight: 0.6,
    category: 'sexual',
    issues: [],
    indicators: ['disclosure_of_abuse'],
    context: 'family',
    evidenceBasis: 'disclosed_by_child',
    summaries: ['{name} disclosed that an adult family friend touches them when babysitting.'],
    childsWords: ['He said it is our secret.'],
  },
  {
    weight: 0.4,
    category: 'emotional',
    issues: [],
    indicators: ['allegation_against_staff'],
    context: 'institutional',
    evidenceBasis: 'disclosed_by_child',
    summaries: ['{name} said a member of staff grabbed their arm and swore at them in the corridor.'],
  },
  {
    weight: 2,
    category: 'wellbeing',
    issues: ['parental_substance_misuse'],
    indicators: [],
    context: 'family',
    evidenceBasis: 'observed',
    summaries: ['Parent appeared intoxicated at collection and {name} was reluctant to leave with them.'],
  },
  {
    weight: 2,
    category: 'wellbeing',
    issues: ['exclusion_risk', 'behaviour'],
    indicators: [],
    context: null,
    evidenceBasis: 'observed',
    summaries: ['Third fixed-term exclusion risk this term; {name} walked out of school after a confrontation.'],
  },
  {
    weight: 1.5,
    category: 'wellbeing',
    issues: ['anti_social_behaviour'],
    indicators: [],
    context: 'extra_familial',
    evidenceBasis: 'reported_by_other',
    summaries: ['PCSO reported {name} among a group throwing stones at buses on the estate.'],
  },
  {
    weight: 3,
    category: 'wellbeing',
    issues: [],
    indicators: [],
    context: null,
    evidenceBasis: 'opinion',
    summaries: [
      '{name} seems withdrawn this week and has stopped playing with friends; no reason given.',
      '{name} mentioned a change at home (a new partner moved in); noting for the record.',
    ],
  },
  {
    weight: 1.5,
    category: 'neglect',
    issues: ['parent_in_custody'],
    indicators: [],
    context: 'family',
    evidenceBasis: 'reported_by_other',
    summaries: ["Grandmother told us {name}'s father was sent to prison this week; {name} is now living with her."],
  },
  {
    weight: 0.3,
    category: 'financial',
    issues: ['financial_hardship'],
    indicators: [],
    context: 'family',
    evidenceBasis: 'disclosed_by_child',
    summaries: ['{name} said an older relative takes their bursary money every week.'],
  },
  {
    weight: 0.2,
    category: 'wellbeing',
    issues: ['radicalisation'],
    indicators: [],
    context: 'online',
    evidenceBasis: 'observed',
    summaries: ['{name} has been sharing extremist videos with classmates and repeating their slogans.'],
  },
];

export const RATIONALES: Record<string, string[]> = {
  no_further_action: ['Explanation fits what we know; nothing further needed.', 'Discussed with parent; no concerns.'],
  monitor: ['Will keep an eye on this and record anything further.', 'Monitor for two weeks; form tutor to check in.'],
  school_support: ['ELSA sessions weekly and a check-in with the form tutor.', 'THRIVE support and a pastoral plan.'],
  early_help: [
    'Family would benefit from support; Family Gateway with parental consent.',
    'Early help fits the needs.',
  ],
  mash: ['Reasonable cause to suspect the child is at risk: report to MASH today.', "Children's Services must know."],
  designated_officer: ['Allegation against a member of staff: referred to the designated officer.'],
  police: ['Immediate danger: police called, then report to MASH.', 'Missing now: police called.'],
};

export const REASONS_FOR_ROUTE = [
  'Spoke with the family and the social worker; support in school is in place and the risk is being managed.',
  'The child has an allocated social worker who already knows and agrees with this plan for now.',
  'Consulted MASH by phone; they advised early help first and to refer again if anything changes.',
];

export const CLOSURE_RATIONALES = [
  'No further concerns after monitoring; closed.',
  'Support completed and things are better at home.',
  "Children's Services have the lead; our actions are complete.",
  'Early help plan in place and reviewed; closing our concern.',
];

export const LA_NOTES: Record<string, string[]> = {
  strategy_discussion: ['Strategy discussion held with police and school; safety plan agreed.'],
  care_and_support_assessment: ['Care and support assessment opened; social worker allocated.'],
  redirect_early_help: ['Family would be better served by early help: redirected to the Family Gateway.'],
  information_advice_assistance: ['Advice given to the school and family; no statutory action.'],
  no_further_action: ['Threshold not met; no further action.'],
  family_help: ['Family Help worker allocated.'],
  team_around_the_family: ['Team Around the Family meeting booked.'],
  signposted: ['Family signposted to local services.'],
  declined_by_family: ['Family declined support after discussion.'],
  stepped_up_to_mash: ['Concerns escalated: stepped up to MASH.'],
  investigation: ['Investigation opened under the allegations procedure.'],
};
