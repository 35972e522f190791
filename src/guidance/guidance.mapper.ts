import { Language } from '../common/language';
import { translate, translateMessage } from '../i18n/i18n.service';
import { GuidanceLevel, GuidanceRoute } from './codes';
import { Guidance, GuidanceFinding } from './guidance-engine';

/** A reason or trigger as the API sends it: its code and the advice in the reader's language. */
export interface GuidanceReason {
  code: string;
  message: string;
}

export interface GuidanceService {
  code: string;
  name: string;
  description: string;
  howToAccess: string;
}

/** The guidance as API answers and pages show it: in one language (API.md, "Guidance"). */
export interface GuidanceAnswer {
  level: GuidanceLevel;
  route: GuidanceRoute;
  emergency: boolean;
  reasons: GuidanceReason[];
  triggers: GuidanceReason[];
  /** Extra steps whatever the level (tell the social worker, report a missing child to the police, ...). */
  alsoDo: GuidanceReason[];
  services: GuidanceService[];
  /** true when after_mash_closure fired: ask for a chronology review before a new MASH referral */
  chronologyReviewAdvised: boolean;
}

const inWords = (language: Language) => (finding: GuidanceFinding<string>) => ({
  code: finding.code,
  message: translateMessage(language, finding.text),
});

/** The engine's guidance put into words in the reader's language: the edge's one translation of it. */
export function toGuidanceAnswer(guidance: Guidance, language: Language): GuidanceAnswer {
  return {
    level: guidance.level,
    route: guidance.route,
    emergency: guidance.emergency,
    reasons: guidance.reasons.map(inWords(language)),
    triggers: guidance.triggers.map(inWords(language)),
    alsoDo: guidance.alsoDo.map(inWords(language)),
    services: guidance.services.map((service) => ({
      code: service.code,
      name: service.name[language],
      description: service.description[language],
      howToAccess: service.howToAccess[language],
    })),
    chronologyReviewAdvised: guidance.chronologyReviewAdvised,
  };
}

/** The name of a level of need, e.g. "Complex, early help". */
export function levelName(level: GuidanceLevel, language: Language): string {
  return translate(language, `guidance.levels.${level}`);
}

/** The name of a route, e.g. "Early help". */
export function routeName(route: GuidanceRoute, language: Language): string {
  return translate(language, `guidance.routes.${route}`);
}
