import { EscalationWithState } from './escalation-state';

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
