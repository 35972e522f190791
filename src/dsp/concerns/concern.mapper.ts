import { Language } from '../../common/language';
import { Guidance } from '../../guidance/guidance-engine';
import { GuidanceAnswer, toGuidanceAnswer } from '../../guidance/guidance.mapper';
import { EscalationResponse } from '../escalations/escalation.mapper';
import { ActionResponse } from '../actions/action.mapper';
import { AttachmentResponse } from '../attachments/concern-attachments.reader';
import { ConcernDecision } from './concern-decision.entity';
import { ConcernClosure } from './concern-closure.entity';
import { ConcernLinkedPupil } from './concern-linked-pupil.entity';
import { Concern } from './concern.entity';
import { ConcernStatus } from './dto/list-concerns.dto';
import type { AmendmentResponse } from './concern-amendments.service';

export interface DecisionResponse {
  id: string;
  concernId: string;
  outcome: string;
  rationale: string;
  /** The DSP's threshold judgement with this decision; null when not answered. */
  reasonableCause: string | null;
  /** Below the guidance (DOMAIN.md, DSP decision); going up is never flagged. */
  belowGuidance: boolean;
  reasonForRoute: string | null;
  /** When the DSP phoned MASH or the police, if they said they did. */
  phonedAt: string | null;
  decidedAt: string;
  decidedBy: { name: string; role: string };
}

export interface ConcernResponse {
  id: string;
  status: ConcernStatus;
  pupilId: string;
  organisationId: string;
  recordedBy: { name: string; role: string };
  recordedAt: string;
  occurredAt: string;
  category: string;
  issues: string[];
  indicators: string[];
  context: string | null;
  summary: string;
  childsWords: string | null;
  childsWordsLanguage: string | null;
  /** Which language, when `childsWordsLanguage` is `other` (as typed, e.g. "Polish"). */
  childsWordsLanguageName: string | null;
  evidenceBasis: string;
  actionTaken: string | null;
  linkedPupils: Array<{ pupilId: string; role: string }>;
  bodyMap: Array<{ view: string; x: number; y: number; note: string | null }>;
}

export interface ConcernDetailResponse extends ConcernResponse {
  decisions: DecisionResponse[];
  escalations: EscalationResponse[];
  closure: { rationale: string; closedAt: string; closedBy: { name: string; role: string } } | null;
  /** Actions set on the concern, oldest first, each with its completion (DSPs and heads; empty for others). */
  actions: ActionResponse[];
  /** In codes; the controller sends it in the reader's words (`withGuidanceIn`). */
  guidance: Guidance;
  /** Its corrections, oldest first (the fields above are the current values: dsp/concerns/concern-amendments.service.ts). */
  amendments: AmendmentResponse[];
  /** Files added to the concern (never their bytes), oldest first. */
  attachments: AttachmentResponse[];
}

/** An answer that carries guidance, with the guidance put into the reader's words (API.md's `guidance`). */
export function withGuidanceIn<T extends { guidance: Guidance }>(
  language: Language,
  answer: T,
): Omit<T, 'guidance'> & { guidance: GuidanceAnswer } {
  return { ...answer, guidance: toGuidanceAnswer(answer.guidance, language) };
}

export function toDecisionResponse(decision: ConcernDecision): DecisionResponse {
  return {
    id: decision.id,
    concernId: decision.concernId,
    outcome: decision.outcome,
    rationale: decision.rationale,
    reasonableCause: decision.reasonableCause,
    belowGuidance: decision.belowGuidance,
    reasonForRoute: decision.reasonForRoute,
    phonedAt: decision.phonedAt ? decision.phonedAt.toISOString() : null,
    decidedAt: decision.decidedAt.toISOString(),
    decidedBy: { name: decision.decidedByName, role: decision.decidedByRole },
  };
}

/** `linkedPupils` only lists pupils the caller may see; the mapper is given that filtered list. */
export function toConcernResponse(
  concern: Concern,
  status: ConcernStatus,
  linkedPupils: ConcernLinkedPupil[],
): ConcernResponse {
  return {
    id: concern.id,
    status,
    pupilId: concern.pupilId,
    organisationId: concern.organisationId,
    recordedBy: { name: concern.recordedByName, role: concern.recordedByRole },
    recordedAt: concern.recordedAt.toISOString(),
    occurredAt: concern.occurredAt.toISOString(),
    category: concern.category,
    issues: concern.issues,
    indicators: concern.indicators,
    context: concern.context,
    summary: concern.summary,
    childsWords: concern.childsWords,
    childsWordsLanguage: concern.childsWordsLanguage,
    childsWordsLanguageName: concern.childsWordsLanguageName,
    evidenceBasis: concern.evidenceBasis,
    actionTaken: concern.actionTaken,
    linkedPupils: linkedPupils.map((link) => ({ pupilId: link.pupilId, role: link.role })),
    bodyMap: (concern.bodyMap ?? []).map((mark) => ({
      view: mark.view,
      x: mark.x,
      y: mark.y,
      note: mark.note ?? null,
    })),
  };
}

export function toClosureResponse(closure: ConcernClosure | null): ConcernDetailResponse['closure'] {
  return closure
    ? {
        rationale: closure.rationale,
        closedAt: closure.closedAt.toISOString(),
        closedBy: { name: closure.closedByName, role: closure.closedByRole },
      }
    : null;
}
