import { CATALOGUES, Catalogue } from '../i18n/catalogues';
import { hasKey, translate, translateMessage } from '../i18n/i18n.service';
import { Language, Message } from '../common/language';
import {
  ALSO_DO_CODES,
  CONCERN_CATEGORIES,
  GUIDANCE_LEVELS,
  GUIDANCE_REASON_CODES,
  GUIDANCE_ROUTES,
  GUIDANCE_SOURCES,
  GUIDANCE_TRIGGER_CODES,
  ISSUE_CODES,
  RISK_INDICATORS,
} from './codes';
import { CARDIFF_SERVICES } from './cardiff-services';
import { evaluateGuidance, Guidance, GuidanceInput, REASON_SOURCES } from './guidance-engine';
import { GuidanceAnswer, levelName, routeName, toGuidanceAnswer } from './guidance.mapper';
import { DAY, at, concern, guidanceInWords } from './guidance-test-helpers';

const LANGUAGES: Language[] = ['en', 'cy'];

/** Every message the engine can give: each rule and trigger, the variants that fit a higher level, and the extra steps. */
const MESSAGE_KEYS = [
  ...GUIDANCE_REASON_CODES.map((code) => `guidance.reasons.${code}`),
  'guidance.reasons.statutory_indicator_staff',
  'guidance.reasons.abuse_category_no_cause',
  ...[
    'complex_issue',
    'family_needs',
    'family_need',
    'additional_need',
    'social_worker_allocated',
    'threshold_unsure',
    'universal',
  ].map((code) => `guidance.reasons.${code}_noted`),
  ...GUIDANCE_TRIGGER_CODES.map((code) => `guidance.triggers.${code}`),
  ...['pattern_frequency', 'pattern_categories', 'after_mash_closure'].map((code) => `guidance.triggers.${code}_noted`),
  ...ALSO_DO_CODES.map((code) => `guidance.alsoDo.${code}`),
];

/** Inputs that between them produce every reason and every trigger. */
const SCENARIOS: Array<[string, Partial<GuidanceInput>]> = [
  ['an emergency', { indicators: ['immediate_danger', 'medical_emergency'] }],
  ['a disclosure', { indicators: ['disclosure_of_abuse'] }],
  ['an allegation against staff', { indicators: ['allegation_against_staff'] }],
  ['sexual abuse', { category: 'sexual' }],
  ['a statutory issue', { issues: ['forced_marriage', 'fgm'] }],
  ['neglect', { category: 'neglect' }],
  ['a complex issue', { issues: ['self_harm'] }],
  ['several family needs', { issues: ['housing', 'parental_mental_health'] }],
  ['one family need', { issues: ['young_carer'] }],
  ['an additional need', { issues: ['online_safety'] }],
  ['a universal concern', {}],
  [
    'a universal concern in a pattern of others',
    {
      history: {
        otherConcerns: [
          { occurredAt: at(DAY), category: 'wellbeing' },
          { occurredAt: at(2 * DAY), category: 'wellbeing' },
        ],
        mashEscalations: [],
      },
    },
  ],
  ['reasonable cause to suspect', { reasonableCause: 'yes' }],
  ['a DSP not sure', { reasonableCause: 'unsure' }],
  ['neglect judged with no reasonable cause', { category: 'neglect', reasonableCause: 'no' }],
  ['a looked-after child bullied', { issues: ['bullying'], pupilFlags: ['looked_after'] }],
  [
    'suicidal intent with other needs',
    {
      indicators: ['suicidal_intent'],
      issues: ['self_harm', 'mental_health', 'housing'],
      reasonableCause: 'unsure',
      pupilFlags: ['cp_register'],
    },
  ],
  ['a disclosure with family needs', { indicators: ['disclosure_of_abuse'], issues: ['housing', 'young_carer'] }],
  ['a child missing from home and education, and FGM', { issues: ['missing_from_home', 'missing_education', 'fgm'] }],
  [
    'a long history the DSP judged with no reasonable cause',
    {
      category: 'emotional',
      reasonableCause: 'no',
      history: {
        otherConcerns: [
          { occurredAt: at(DAY), category: 'physical' },
          { occurredAt: at(2 * DAY), category: 'financial' },
        ],
        mashEscalations: [
          { sentAt: at(200 * DAY), concernIsThisOne: false, outcome: 'no_further_action', outcomeAt: at(190 * DAY) },
        ],
      },
    },
  ],
  [
    'a long history',
    {
      category: 'emotional',
      history: {
        otherConcerns: [
          { occurredAt: at(DAY), category: 'physical' },
          { occurredAt: at(2 * DAY), category: 'financial' },
        ],
        mashEscalations: [
          { sentAt: at(200 * DAY), concernIsThisOne: false, outcome: 'no_further_action', outcomeAt: at(190 * DAY) },
          { sentAt: at(20 * DAY), concernIsThisOne: false, outcome: null, outcomeAt: null },
        ],
      },
    },
  ],
];

const answers = (language: Language): GuidanceAnswer[] =>
  SCENARIOS.map(([, input]) => guidanceInWords(concern(input), CARDIFF_SERVICES, language));
const messages = (answer: GuidanceAnswer) => [...answer.reasons, ...answer.triggers, ...answer.alsoDo];

function flatten(node: Catalogue, prefix = ''): string[] {
  return Object.entries(node).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : flatten(value, `${prefix}${key}.`),
  );
}

describe('guidance messages', () => {
  it('the scenarios between them produce every reason and every trigger', () => {
    const produced = new Set(answers('en').flatMap((answer) => messages(answer).map((message) => message.code)));
    for (const code of [...GUIDANCE_REASON_CODES, ...GUIDANCE_TRIGGER_CODES, ...ALSO_DO_CODES])
      expect(produced).toContain(code);
  });

  it('the scenarios between them use every message of the catalogue', () => {
    const used = new Set(
      SCENARIOS.flatMap(([, input]) => {
        const guidance = evaluateGuidance(concern(input), CARDIFF_SERVICES);
        return [...guidance.reasons, ...guidance.triggers, ...guidance.alsoDo].map((finding) => finding.text.key);
      }),
    );
    const messageKeys = MESSAGE_KEYS.filter((key) => !used.has(key));
    expect(messageKeys).toEqual([]);
  });

  it.each(LANGUAGES)(
    'in %s never contradict a level-4 or level-0 answer (no "met in school", no "early help" as the answer)',
    (language) => {
      const schoolOrEarlyHelp =
        language === 'en'
          ? /usually be met|led by the school|early help/i
          : /diwallu|dan arweiniad yr ysgol|cymorth cynnar/i;
      for (const answer of answers(language).filter((answer) => answer.level === 4 || answer.level === 0)) {
        for (const { message } of [...answer.reasons, ...answer.triggers])
          expect(message).not.toMatch(schoolOrEarlyHelp);
      }
    },
  );

  it.each(LANGUAGES)(
    'in %s are complete sentences with every placeholder filled and no raw catalogue keys',
    (language) => {
      for (const answer of answers(language)) {
        for (const { message } of messages(answer)) {
          expect(message).not.toMatch(/guidance\./);
          expect(message).not.toMatch(/\{\w+\}/);
          expect(message).toMatch(/[.]$/);
          expect(message.length).toBeGreaterThan(60);
        }
      }
    },
  );

  it.each(LANGUAGES)('in %s say which procedure they come from', (language) => {
    const sources = ['wales_safeguarding_procedures', 'keeping_learners_safe'].map((source) =>
      translate(language, `guidance.sources.${source}`),
    );
    for (const answer of answers(language)) {
      for (const { message } of messages(answer)) {
        expect(sources.some((source) => message.startsWith(`${source}: `))).toBe(true);
      }
    }
  });

  it('in Welsh differ from the English, reason by reason, and use Welsh names for codes', () => {
    const english = answers('en');
    const welsh = answers('cy');
    english.forEach((answer, i) => {
      const cy = messages(welsh[i]);
      const en = messages(answer);
      expect(cy.map((message) => message.code)).toEqual(en.map((message) => message.code));
      en.forEach((message, j) => expect(cy[j].message).not.toBe(message.message));
      expect(
        cy.every(
          ({ message }) =>
            message.startsWith('Gweithdrefnau Diogelu Cymru: ') || message.startsWith('Cadw Dysgwyr yn Ddiogel: '),
        ),
      ).toBe(true);
    });
    const emergency = welsh[0].reasons[0].message;
    expect(emergency).toContain('Perygl uniongyrchol, Argyfwng meddygol');
    expect(emergency).toContain('999');
  });

  it('give the same level, route, reasons and services whatever the language', () => {
    const english = answers('en');
    const welsh = answers('cy');
    english.forEach((answer, i) => {
      expect(welsh[i].level).toBe(answer.level);
      expect(welsh[i].route).toBe(answer.route);
      expect(welsh[i].services.map((service) => service.code)).toEqual(answer.services.map((service) => service.code));
      welsh[i].services.forEach((service, j) => expect(service.description).not.toBe(answer.services[j].description));
    });
  });

  it('name the level and the route in both languages', () => {
    expect(levelName(0, 'en')).toBe('Emergency');
    expect(levelName(1, 'en')).toBe('Universal');
    expect(levelName(2, 'en')).toBe('Additional, school-led');
    expect(levelName(3, 'en')).toBe('Complex, early help');
    expect(levelName(4, 'en')).toBe('Child at risk: report to social services');
    expect(levelName(0, 'cy')).toBe('Argyfwng');
    expect(routeName('early_help', 'cy')).toBe('Cymorth cynnar');
    for (const level of GUIDANCE_LEVELS) expect(levelName(level, 'cy')).not.toBe(levelName(level, 'en'));
    for (const route of GUIDANCE_ROUTES) expect(routeName(route, 'cy')).not.toBe(routeName(route, 'en'));
  });
});

describe("the engine's answer, before any language", () => {
  const findings = (guidance: Guidance) => [...guidance.reasons, ...guidance.triggers];
  const domainAnswers = () => SCENARIOS.map(([, input]) => evaluateGuidance(concern(input), CARDIFF_SERVICES));

  /** Every string a message holds, its own key and its parameters', to check that none is prose. */
  const stringsOf = (message: Message): string[] => [
    message.key,
    ...Object.values(message.params ?? {}).flatMap((value) =>
      typeof value === 'number'
        ? []
        : typeof value === 'string'
          ? [value]
          : Array.isArray(value)
            ? (value as Message[]).flatMap(stringsOf)
            : stringsOf(value as Message),
    ),
  ];

  it('holds codes and catalogue keys only: no words in any language', () => {
    for (const guidance of domainAnswers()) {
      for (const finding of findings(guidance)) {
        for (const text of stringsOf(finding.text)) {
          // Pupil flags keep their one catalogue entry (flags.*), shared with the pupil pages.
          expect(text).toMatch(/^(guidance\.[a-z_]+|flags)\.[a-z_0-9]+$/);
          for (const language of LANGUAGES) expect(hasKey(language, text)).toBe(true);
        }
      }
    }
  });

  it('is not told a language: it takes the concern, the directory and the thresholds only', () => {
    // (input, directory, thresholds = DEFAULT_THRESHOLDS): a language argument would count here.
    expect(evaluateGuidance.length).toBe(2);
  });

  it.each(LANGUAGES)('names, for each reason and trigger, the procedure its words in %s begin with', (language) => {
    for (const guidance of domainAnswers()) {
      for (const finding of findings(guidance)) {
        expect(GUIDANCE_SOURCES).toContain(finding.source);
        const procedure = translate(language, `guidance.sources.${finding.source}`);
        expect(translateMessage(language, finding.text).startsWith(`${procedure}: `)).toBe(true);
      }
    }
  });

  it('gives every rule a source, and the words of the API answer are the translated messages', () => {
    for (const code of GUIDANCE_REASON_CODES) expect(GUIDANCE_SOURCES).toContain(REASON_SOURCES[code]);
    const guidance = evaluateGuidance(concern({ issues: ['housing', 'young_carer'] }), CARDIFF_SERVICES);
    expect(guidance.reasons[0].text).toEqual({
      key: 'guidance.reasons.family_needs',
      params: {
        items: [{ key: 'guidance.issues.housing' }, { key: 'guidance.issues.young_carer' }],
        count: 2,
      },
    });
    const welsh = toGuidanceAnswer(guidance, 'cy');
    expect(welsh.reasons[0]).toEqual({
      code: 'family_needs',
      message: translateMessage('cy', guidance.reasons[0].text),
    });
    expect(welsh.services[0].name).toBe(guidance.services[0].name.cy);
  });
});

describe('the guidance catalogue', () => {
  const keysNeeded = [
    ...GUIDANCE_LEVELS.map((level) => `guidance.levels.${level}`),
    ...GUIDANCE_ROUTES.map((route) => `guidance.routes.${route}`),
    ...CONCERN_CATEGORIES.map((category) => `guidance.categories.${category}`),
    ...ISSUE_CODES.map((issue) => `guidance.issues.${issue}`),
    ...RISK_INDICATORS.map((indicator) => `guidance.indicators.${indicator}`),
    ...MESSAGE_KEYS,
    'guidance.sources.wales_safeguarding_procedures',
    'guidance.sources.keeping_learners_safe',
  ];

  it('holds a label or message for every code, in English and in Welsh', () => {
    const missing = keysNeeded.flatMap((key) =>
      LANGUAGES.filter((language) => !hasKey(language, key)).map((language) => `${language}:${key}`),
    );
    expect(missing).toEqual([]);
  });

  it('has the same guidance keys in English and in Welsh, and nothing unused', () => {
    const english = flatten(CATALOGUES.en.guidance as Catalogue, 'guidance.').sort();
    const welsh = flatten(CATALOGUES.cy.guidance as Catalogue, 'guidance.').sort();
    expect(welsh).toEqual(english);
    expect(english).toEqual([...keysNeeded].sort());
  });

  it('uses the same placeholders in both languages', () => {
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort().join();
    for (const key of keysNeeded) expect(placeholders(translate('cy', key))).toBe(placeholders(translate('en', key)));
  });

  it('translates every message and label into Welsh (none is left in English)', () => {
    const identical = keysNeeded.filter((key) => translate('cy', key) === translate('en', key));
    // Only names that are the same in both languages (none today) may stay identical.
    expect(identical).toEqual([]);
  });
});
