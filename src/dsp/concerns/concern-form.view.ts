import {
  CONCERN_CATEGORIES,
  CONCERN_CONTEXTS,
  EVIDENCE_BASES,
  ISSUE_CODES,
  IssueCode,
  LINKED_PUPIL_ROLES,
  RISK_INDICATORS,
  RiskIndicator,
} from '../../guidance/codes';
import { EMERGENCY_INDICATORS } from '../../guidance/guidance-engine';
import { errorFor, FormError } from '../../web/forms';
import { BODY_REGIONS, figureCoordinates, nearestRegion } from './body-map';
import { ConcernFormState } from './concern-form.parser';

/** The "record a concern" form as its template shows it: choices with their state, marks, errors by field. */

/** Issues in groups a teacher can scan. Every issue code appears exactly once. */
export const ISSUE_GROUPS: Array<{ key: string; issues: IssueCode[] }> = [
  {
    key: 'harm',
    issues: [
      'domestic_abuse',
      'child_sexual_exploitation',
      'child_criminal_exploitation',
      'trafficking',
      'fgm',
      'forced_marriage',
      'radicalisation',
      'harmful_sexual_behaviour',
    ],
  },
  {
    key: 'wellbeing',
    issues: [
      'self_harm',
      'mental_health',
      'substance_misuse',
      'online_safety',
      'bullying',
      'behaviour',
      'anti_social_behaviour',
      'exclusion_risk',
    ],
  },
  { key: 'whereabouts', issues: ['missing_from_home', 'missing_education', 'attendance'] },
  {
    key: 'family',
    issues: [
      'young_carer',
      'parental_substance_misuse',
      'parental_mental_health',
      'housing',
      'financial_hardship',
      'parent_in_custody',
    ],
  },
];

export interface RollPupil {
  id: string;
  firstName: string;
  lastName: string;
  yearGroup: number;
}

const choice = (name: string, values: readonly string[], selected: (value: string) => boolean) =>
  values.map((value, index) => ({ value, id: index === 0 ? name : `${name}-${value}`, checked: selected(value) }));

const isEmergency = (code: string) => (EMERGENCY_INDICATORS as readonly string[]).includes(code);

/** Whether any of the emergency boxes is ticked: "Call 999 now" shows beside them, whatever else is chosen. */
export const isEmergencyTicked = (state: ConcernFormState): boolean => state.indicators.some(isEmergency);

/** Everything the form template shows: choices with their state, marks placed on the figures, errors by field. */
export function concernFormView(state: ConcernFormState, roll: RollPupil[], errors: FormError[]) {
  const errorOf = (field: string) => errorFor(errors, field);
  const others = roll.filter((pupil) => pupil.id !== state.pupilId);
  const marks = state.bodyMap.map((mark, index) => ({
    index,
    number: index + 1,
    view: mark.view,
    x: mark.x,
    y: mark.y,
    note: mark.note,
    region: nearestRegion(mark.view, mark.x, mark.y),
    noteId: `bodyMap-${index}-note`,
    error: errorOf(`bodyMap-${index}-note`),
    ...figureCoordinates(mark.x, mark.y),
  }));
  return {
    form: state,
    errors,
    emergencyTicked: isEmergencyTicked(state),
    fieldErrors: Object.fromEntries(
      [
        'occurredDate',
        'category',
        'issues',
        'indicators',
        'context',
        'summary',
        'childsWords',
        'childsWordsLanguage',
        'childsWordsLanguageName',
        'evidenceBasis',
        'actionTaken',
        'markRegion',
      ].map((f) => [f, errorOf(f)]),
    ),
    categories: choice('category', CONCERN_CATEGORIES, (v) => state.category === v),
    issueGroups: ISSUE_GROUPS.map((group) => ({
      key: group.key,
      issues: group.issues.map((value) => ({
        value,
        id: value === ISSUE_CODES[0] ? 'issues' : `issues-${value}`,
        checked: state.issues.includes(value),
      })),
    })),
    emergencyIndicators: RISK_INDICATORS.filter(isEmergency).map((value, index) => ({
      value,
      id: index === 0 ? 'indicators' : `indicators-${value}`,
      checked: state.indicators.includes(value),
    })),
    riskIndicators: RISK_INDICATORS.filter((code: RiskIndicator) => !isEmergency(code)).map((value) => ({
      value,
      id: `indicators-${value}`,
      checked: state.indicators.includes(value),
    })),
    contexts: choice('context', CONCERN_CONTEXTS, (v) => state.context === v),
    childsWordsLanguages: choice('childsWordsLanguage', ['en', 'cy', 'other'], (v) => state.childsWordsLanguage === v),
    evidenceBases: choice('evidenceBasis', EVIDENCE_BASES, (v) => state.evidenceBasis === v),
    linkedRows: state.linkedPupils.map((row, index) => ({
      index,
      number: index + 1,
      pupilError: errorOf(`linkedPupils-${index}-pupilId`),
      roleError: errorOf(`linkedPupils-${index}-role`),
      pupils: others.map((pupil) => ({ ...pupil, selected: pupil.id === row.pupilId })),
      roles: LINKED_PUPIL_ROLES.map((role) => ({ value: role, selected: role === row.role })),
    })),
    hasRoll: others.length > 0,
    bodyMap: {
      marks,
      front: marks.filter((m) => m.view === 'front'),
      back: marks.filter((m) => m.view === 'back'),
      regions: BODY_REGIONS.map((value) => ({ value, selected: value === state.markRegion })),
      views: choice('markView', ['front', 'back'], (v) => state.markView === v),
    },
  };
}
