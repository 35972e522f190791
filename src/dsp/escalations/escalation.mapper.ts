import { EscalationWithState } from './escalation-state';
import { Escalation } from './escalation.entity';

export interface EscalationResponse {
  id: string;
  concernId: string;
  pupilId: string;
  organisationId: string;
  route: string;
  status: string;
  sentAt: string;
  dueBy: string;
  overdue: boolean;
  recommendedLevel: number;
  recommendedRoute: string;
  /** Below the guidance (then with a reason). */
  againstRecommendation: boolean;
  /** Above the guidance: for the LA's aggregate figures only, shown on no page. */
  aboveGuidance: boolean;
  /** The DSP's threshold judgement sent with it; null when not answered. */
  reasonableCause: string | null;
  /** Sent by a member of staff because no DSP could be reached. */
  dspUnavailable: boolean;
  reasonForRoute: string | null;
  consent: unknown;
  referral: unknown;
  sentBy: { name: string; role: string };
  redirectedFromId: string | null;
  acknowledgement: { at: string; by: { name: string; role: string } } | null;
  outcome: {
    outcome: string;
    note: string;
    at: string;
    by: { name: string; role: string };
    earlyHelpEscalationId: string | null;
  } | null;
  earlyHelpEscalationId?: string;
}

export function toEscalationResponse({
  escalation: e,
  acknowledgement,
  outcome,
  status,
  overdue,
}: EscalationWithState): EscalationResponse {
  return {
    id: e.id,
    concernId: e.concernId,
    pupilId: e.pupilId,
    organisationId: e.organisationId,
    route: e.route,
    status,
    sentAt: e.sentAt.toISOString(),
    dueBy: e.dueBy.toISOString(),
    overdue,
    recommendedLevel: e.recommendedLevel,
    recommendedRoute: e.recommendedRoute,
    againstRecommendation: e.againstRecommendation,
    aboveGuidance: e.aboveGuidance,
    reasonableCause: e.reasonableCause,
    dspUnavailable: e.dspUnavailable,
    reasonForRoute: e.reasonForRoute,
    consent: e.consent,
    referral: e.referral,
    sentBy: { name: e.sentByName, role: e.sentByRole },
    redirectedFromId: e.redirectedFromId,
    acknowledgement: acknowledgement
      ? {
          at: acknowledgement.acknowledgedAt.toISOString(),
          by: { name: acknowledgement.acknowledgedByName, role: acknowledgement.acknowledgedByRole },
        }
      : null,
    outcome: outcome
      ? {
          outcome: outcome.outcome,
          note: outcome.note,
          at: outcome.decidedAt.toISOString(),
          by: { name: outcome.decidedByName, role: outcome.decidedByRole },
          earlyHelpEscalationId: outcome.earlyHelpEscalationId,
        }
      : null,
    ...(outcome?.earlyHelpEscalationId ? { earlyHelpEscalationId: outcome.earlyHelpEscalationId } : {}),
  };
}

/**
 * What the receiving team reads of a referral (DOMAIN.md, "What each side sees of a referral"):
 * everything the DSP sent and nothing about the guidance (no recommended level or route, nothing
 * above or below it). Built field by field, so a guidance field added to the referral cannot reach
 * the team by accident. A MASH redirect's early-help referral does not carry the school's reason for
 * not seeking consent: the early-help team seeks consent itself.
 */
export interface ReceivedEscalationResponse {
  id: string;
  concernId: string;
  pupilId: string;
  organisationId: string;
  route: string;
  status: string;
  sentAt: string;
  dueBy: string;
  overdue: boolean;
  reasonForRoute: string | null;
  /** The DSP's threshold judgement sent with the referral: `yes`, `no`, `unsure`, or null (not answered). */
  reasonableCause: string | null;
  consent: { sought: boolean; given: boolean | null; givenBy: string | null; reasonNotSought?: string | null };
  referral: unknown;
  sentBy: { name: string; role: string };
  redirectedFromId: string | null;
  acknowledgement: EscalationResponse['acknowledgement'];
  outcome: EscalationResponse['outcome'];
  earlyHelpEscalationId?: string;
}

export function toReceivedEscalationResponse(state: EscalationWithState): ReceivedEscalationResponse {
  const full = toEscalationResponse(state);
  const e = state.escalation;
  const consent = (e.consent ?? {}) as Partial<Escalation['consent']>;
  const redirected = e.redirectedFromId !== null;
  return {
    id: full.id,
    concernId: full.concernId,
    pupilId: full.pupilId,
    organisationId: full.organisationId,
    route: full.route,
    status: full.status,
    sentAt: full.sentAt,
    dueBy: full.dueBy,
    overdue: full.overdue,
    reasonForRoute: redirected ? null : full.reasonForRoute,
    reasonableCause: e.reasonableCause ?? null,
    consent: {
      sought: consent.sought === true,
      given: consent.given ?? null,
      givenBy: consent.givenBy ?? null,
      ...(redirected ? {} : { reasonNotSought: consent.reasonNotSought ?? null }),
    },
    referral: full.referral,
    sentBy: full.sentBy,
    redirectedFromId: full.redirectedFromId,
    acknowledgement: full.acknowledgement,
    outcome: full.outcome,
    ...(full.earlyHelpEscalationId ? { earlyHelpEscalationId: full.earlyHelpEscalationId } : {}),
  };
}
