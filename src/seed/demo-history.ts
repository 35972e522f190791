import { EntityManager } from 'typeorm';
import { AuditAction, AuditService } from '../audit/audit.service';
import { WorkingDayCalendar } from '../calendar/working-days';
import { Actor } from '../common/actor';
import { newId } from '../common/ids';
import { recordedBy } from '../common/recorded-by';
import { ConcernDecision } from '../dsp/concerns/concern-decision.entity';
import { ConcernClosure } from '../dsp/concerns/concern-closure.entity';
import { Concern } from '../dsp/concerns/concern.entity';
import { Escalation } from '../dsp/escalations/escalation.entity';
import { referralDueBy } from '../dsp/escalations/referral-clock';
import { EARLY_HELP_RESPONSE_DAYS } from '../guidance/directory/directory.service';
import { CARDIFF_SERVICES } from '../guidance/cardiff-services';
import {
  ConcernCategory,
  DecisionOutcome,
  EscalationRoute,
  IssueCode,
  ReasonableCause,
  RiskIndicator,
} from '../guidance/codes';
import {
  evaluateGuidance,
  isAboveGuidance,
  isAgainstRecommendation,
  isBelowGuidance,
} from '../guidance/guidance-engine';
import { Pupil, pupilFlags } from '../school/pupil.entity';
import { EscalationRepository } from '../dsp/escalations/escalation.repository';

/**
 * A realistic safeguarding history for a few demo pupils, so a newcomer sees full chronologies,
 * queues and inboxes. Times are relative to the moment of seeding. Everything else on the roll
 * (at least six pupils per school) has no history.
 */
interface DemoStep {
  /** Hours after the concern occurred. */
  after: number;
  by: string;
}
interface DemoConcern {
  pupil: string;
  recordedBy: string;
  daysAgo: number;
  category: ConcernCategory;
  issues?: IssueCode[];
  indicators?: RiskIndicator[];
  context?: string;
  summary: string;
  childsWords?: { text: string; language: 'en' | 'cy' | 'other'; languageName?: string };
  evidenceBasis: 'observed' | 'disclosed_by_child' | 'reported_by_other' | 'opinion';
  actionTaken?: string;
  /** Marks on the body map, where the summary says the injury is (left and right are the child's). */
  bodyMap?: Concern['bodyMap'];
  /** The DSP's decision, with their threshold judgement and, below a level-4/0 guidance, why. */
  decision?: DemoStep & {
    outcome: DecisionOutcome;
    rationale: string;
    reasonableCause: ReasonableCause;
    reasonForRoute?: string;
  };
  referral?: DemoStep & {
    route: EscalationRoute;
    reasonForRoute?: string;
    consent: Escalation['consent'];
    referral?: Escalation['referral'];
    acknowledged?: DemoStep;
    outcome?: DemoStep & {
      outcome: string;
      note: string;
      earlyHelpAcknowledged?: DemoStep;
      earlyHelpOutcome?: DemoStep & { outcome: string; note: string };
    };
  };
  closed?: DemoStep & { rationale: string };
}

const DEMO_HISTORY: DemoConcern[] = [
  {
    pupil: 'ffion-jones',
    recordedBy: 'teacher@riverside.example',
    daysAgo: 58,
    category: 'neglect',
    issues: ['attendance', 'financial_hardship'],
    summary:
      'Ffion arrived without a coat for the third day running in cold weather and asked for extra toast at breakfast club. Uniform unwashed. Late four times in the last fortnight.',
    childsWords: { text: "Mam's been poorly so I get myself ready.", language: 'en' },
    evidenceBasis: 'observed',
    actionTaken: 'Gave her a coat from lost property and made sure she had breakfast.',
    decision: {
      after: 26,
      by: 'dsp@riverside.example',
      outcome: 'early_help',
      rationale:
        "Signs of neglect linked to a parent's illness and money worries; mother is open to help. Early help through the Family Gateway fits better than MASH.",
      reasonableCause: 'no',
    },
    referral: {
      after: 28,
      by: 'dsp@riverside.example',
      route: 'early_help',
      consent: { sought: true, given: true, givenBy: 'Mother (Sioned Jones)', reasonNotSought: null },
      referral: {
        householdMembers: [
          { name: 'Sioned Jones', relationship: 'Mother' },
          { name: 'Rhys Jones', relationship: 'Brother (Hillcrest High)' },
        ],
        parentalResponsibility: 'Mother',
        communicationNeeds: 'Family prefers Welsh',
      },
      acknowledged: { after: 30, by: 'earlyhelp@cardiff.example' },
      outcome: {
        after: 48,
        by: 'earlyhelp@cardiff.example',
        outcome: 'team_around_the_family',
        note: 'Team Around the Family meeting booked; Family Support Worker allocated.',
      },
    },
  },
  {
    pupil: 'ethan-taylor',
    recordedBy: 'teacher@riverside.example',
    daysAgo: 20,
    category: 'emotional',
    issues: ['mental_health'],
    summary:
      'Ethan became very upset after contact with his birth father was cancelled; hid under the table and would not talk for twenty minutes.',
    evidenceBasis: 'observed',
    decision: {
      after: 20,
      by: 'dsp@riverside.example',
      outcome: 'school_support',
      rationale: 'Known to his social worker (looked after). ELSA sessions weekly; social worker informed.',
      reasonableCause: 'no',
      reasonForRoute: 'His social worker was told the same day and agrees ELSA in school is the right support for now.',
    },
  },
  {
    pupil: 'osian-williams',
    recordedBy: 'teacher@riverside.example',
    daysAgo: 40,
    category: 'wellbeing',
    issues: ['bullying'],
    summary: 'Osian said older pupils took his lunch money twice this week at the gate.',
    childsWords: { text: 'They said they would get me if I told.', language: 'en' },
    evidenceBasis: 'disclosed_by_child',
    decision: {
      after: 4,
      by: 'dsp@riverside.example',
      outcome: 'school_support',
      rationale: 'Spoke with the pupils involved and their parents; gate duty increased.',
      reasonableCause: 'no',
    },
    closed: {
      after: 24 * 21,
      by: 'dsp@riverside.example',
      rationale: 'No further incidents in three weeks; Osian says things are better.',
    },
  },
  {
    pupil: 'lily-evans',
    recordedBy: 'teacher@riverside.example',
    daysAgo: 1,
    category: 'physical',
    summary: "Noticed a bruise on Lily's upper left arm while changing for PE. She said she fell off her bike.",
    childsWords: { text: 'I fell off my bike.', language: 'en' },
    evidenceBasis: 'observed',
    // The child's upper left arm: on the front view, the figure's right-hand side (x 0.69 of its width).
    bodyMap: [{ view: 'front', x: 0.69, y: 0.3, note: 'Bruise about 3 cm, yellow-green' }],
  },
  {
    pupil: 'megan-price',
    recordedBy: 'teacher@hillcrest.example',
    daysAgo: 35,
    category: 'wellbeing',
    issues: ['self_harm', 'mental_health'],
    summary:
      'Megan showed a friend cuts on her forearm in the changing room; the friend told me. Megan confirmed when I spoke to her, said they are not recent.',
    evidenceBasis: 'reported_by_other',
    actionTaken: 'School nurse checked the cuts; no medical treatment needed.',
    decision: {
      after: 3,
      by: 'dsp@hillcrest.example',
      outcome: 'mash',
      rationale:
        "Looked after child who is self-harming; her social worker has been hard to reach. Children's Services must know.",
      reasonableCause: 'yes',
    },
    referral: {
      after: 4,
      by: 'dsp@hillcrest.example',
      route: 'mash',
      consent: { sought: true, given: true, givenBy: 'Megan (16) and her foster carer', reasonNotSought: null },
      referral: {
        agenciesInvolved: ["Social worker (Cardiff Children's Services)", 'CAMHS (waiting list)'],
        additionalNeeds: 'None known',
      },
      acknowledged: { after: 6, by: 'mash@cardiff.example' },
      outcome: {
        after: 20,
        by: 'mash@cardiff.example',
        outcome: 'redirect_early_help',
        note: 'Social worker contacted and aware. Emotional wellbeing support through early help is the right route.',
        earlyHelpAcknowledged: { after: 26, by: 'earlyhelp@cardiff.example' },
      },
    },
  },
  {
    pupil: 'kai-morgan',
    recordedBy: 'dsp@bridge.example',
    daysAgo: 9,
    category: 'wellbeing',
    issues: ['child_criminal_exploitation', 'missing_education'],
    indicators: ['exploitation_indicators'],
    summary:
      'Kai has new expensive trainers and two phones, and was seen getting into a car with older men after the PRU session. Missed three mornings this week.',
    evidenceBasis: 'observed',
    decision: {
      after: 2,
      by: 'dsp@bridge.example',
      outcome: 'mash',
      rationale: 'Indicators of criminal exploitation.',
      reasonableCause: 'yes',
    },
    referral: {
      after: 2,
      by: 'dsp@bridge.example',
      route: 'mash',
      consent: {
        sought: false,
        given: null,
        givenBy: null,
        reasonNotSought: 'Telling the family first could put Kai at greater risk from those exploiting him.',
      },
      referral: { phonedAt: 'PHONED', riskToVisitors: 'Unknown adults seen at the family home.' },
      acknowledged: { after: 3, by: 'mash@cardiff.example' },
      outcome: {
        after: 20,
        by: 'mash@cardiff.example',
        outcome: 'strategy_discussion',
        note: 'Strategy discussion held with police and Bridge PRU; exploitation safety plan agreed.',
      },
    },
  },
  {
    pupil: 'chloe-davies',
    recordedBy: 'teacher@hillcrest.example',
    daysAgo: 0.2,
    category: 'wellbeing',
    issues: ['online_safety'],
    context: 'online',
    summary: 'Chloe told me an adult she met in a game keeps asking her for photos.',
    childsWords: { text: 'He said he is 15 but he sounds older.', language: 'en' },
    evidenceBasis: 'disclosed_by_child',
  },
  {
    pupil: 'rhys-jones',
    recordedBy: 'teacher@hillcrest.example',
    daysAgo: 12,
    category: 'wellbeing',
    issues: ['young_carer', 'parental_mental_health'],
    summary: 'Rhys is falling asleep in lessons; says he is up at night looking after his mum and sister.',
    childsWords: { text: 'Dw i’n gwneud popeth adre ar hyn o bryd.', language: 'cy' },
    evidenceBasis: 'disclosed_by_child',
    decision: {
      after: 30,
      by: 'dsp@hillcrest.example',
      outcome: 'early_help',
      rationale:
        'Young carer with a parent who is unwell: Family Gateway for the family, with mum’s agreement; young carers group and form tutor check-ins meanwhile. Linked with Riverside about his sister.',
      reasonableCause: 'no',
    },
  },
];

export interface DemoHistoryContext {
  manager: EntityManager;
  audit: AuditService;
  calendar: WorkingDayCalendar;
  /** Referrals and their answers are appended through it, so their stored states are written too. */
  escalations: EscalationRepository;
  actors: Map<string, Actor>;
  pupilIds: Map<string, string>;
  now: Date;
}

const HOUR = 3600 * 1000;

export async function seedDemoHistory(context: DemoHistoryContext): Promise<void> {
  const { manager, audit, calendar, escalations, actors, pupilIds, now } = context;
  const actor = (email: string) => actors.get(email)!;
  const record = (by: Actor, action: AuditAction, type: string, id: string, details: Record<string, string>) =>
    audit.record(manager, by, action, { type, id }, details);

  for (const demo of DEMO_HISTORY) {
    const pupilId = pupilIds.get(demo.pupil)!;
    const occurredAt = new Date(now.getTime() - demo.daysAgo * 24 * HOUR);
    const at = (step: DemoStep) => new Date(Math.min(occurredAt.getTime() + step.after * HOUR, now.getTime() - 60_000));
    const recorder = actor(demo.recordedBy);
    const concern: Concern = {
      id: newId(),
      pupilId,
      organisationId: recorder.organisationId,
      ...recordedBy('recordedBy', recorder),
      recordedAt: new Date(Math.min(occurredAt.getTime() + 2 * HOUR, now.getTime() - 120_000)),
      occurredAt,
      category: demo.category,
      issues: demo.issues ?? [],
      indicators: demo.indicators ?? [],
      context: demo.context ?? null,
      summary: demo.summary,
      childsWords: demo.childsWords?.text ?? null,
      childsWordsLanguage: demo.childsWords?.language ?? null,
      childsWordsLanguageName: demo.childsWords?.languageName ?? null,
      evidenceBasis: demo.evidenceBasis,
      actionTaken: demo.actionTaken ?? null,
      bodyMap: demo.bodyMap ?? null,
    };
    await manager.getRepository(Concern).insert(concern);
    await record(recorder, 'concern.recorded', 'concern', concern.id, { pupilId });

    // The guidance as the DSP saw it (the demo histories are far enough apart not to trigger each other).
    const pupil = await manager.getRepository(Pupil).findOneByOrFail({ id: pupilId });
    const guidanceWith = (reasonableCause: ReasonableCause | null) =>
      evaluateGuidance(
        {
          category: concern.category,
          issues: concern.issues,
          indicators: concern.indicators,
          occurredAt,
          reasonableCause,
          pupilFlags: pupilFlags(pupil),
          history: { otherConcerns: [], mashEscalations: [] },
        },
        CARDIFF_SERVICES,
      );

    if (demo.decision) {
      const by = actor(demo.decision.by);
      const guidance = guidanceWith(demo.decision.reasonableCause);
      const decision: ConcernDecision = {
        id: newId(),
        concernId: concern.id,
        outcome: demo.decision.outcome,
        rationale: demo.decision.rationale,
        reasonableCause: demo.decision.reasonableCause,
        reasonForRoute: demo.decision.reasonForRoute ?? null,
        phonedAt: null,
        belowGuidance: isBelowGuidance(demo.decision.outcome, guidance, demo.decision.reasonableCause),
        guidanceLevel: guidance.level,
        guidanceRoute: guidance.route,
        ...recordedBy('decidedBy', by),
        decidedAt: at(demo.decision),
      };
      await manager.getRepository(ConcernDecision).insert(decision);
      await record(by, 'concern.decided', 'concern', concern.id, { pupilId, outcome: decision.outcome });
    }

    if (demo.referral) {
      const step = demo.referral;
      const by = actor(step.by);
      const reasonableCause = demo.decision?.reasonableCause ?? null;
      const guidance = guidanceWith(reasonableCause);
      const sentAt = at(step);
      const details = { ...(step.referral ?? {}) };
      if (details.phonedAt === 'PHONED') details.phonedAt = new Date(sentAt.getTime() - HOUR).toISOString();
      const escalation: Escalation = {
        id: newId(),
        concernId: concern.id,
        pupilId,
        organisationId: by.organisationId,
        localAuthorityId: by.localAuthorityId,
        route: step.route,
        reasonForRoute: step.reasonForRoute ?? null,
        againstRecommendation: isAgainstRecommendation(step.route, guidance, reasonableCause),
        aboveGuidance: isAboveGuidance(step.route, guidance),
        reasonableCause,
        dspUnavailable: false,
        recommendedLevel: guidance.level,
        recommendedRoute: guidance.route,
        consent: step.consent,
        referral: details,
        ...recordedBy('sentBy', by),
        sentAt,
        dueBy: referralDueBy(calendar, {
          route: step.route,
          sentAt,
          phonedAt: details.phonedAt,
          earlyHelpResponseDays: EARLY_HELP_RESPONSE_DAYS.default,
        }),
        redirectedFromId: null,
      };
      await escalations.append(manager, { escalations: [escalation] });
      await record(by, 'escalation.sent', 'escalation', escalation.id, { pupilId, route: escalation.route });
      if (step.acknowledged) await acknowledge(context, escalation, step.acknowledged, at);
      if (step.outcome) {
        const decidedBy = actor(step.outcome.by);
        let earlyHelpEscalationId: string | null = null;
        if (step.outcome.outcome === 'redirect_early_help') {
          const redirectedAt = at(step.outcome);
          const earlyHelp: Escalation = {
            ...escalation,
            id: newId(),
            route: 'early_help',
            reasonForRoute: null,
            againstRecommendation: false,
            ...recordedBy('sentBy', decidedBy),
            sentAt: redirectedAt,
            dueBy: referralDueBy(calendar, {
              route: 'early_help',
              sentAt: redirectedAt,
              earlyHelpResponseDays: EARLY_HELP_RESPONSE_DAYS.default,
            }),
            redirectedFromId: escalation.id,
          };
          await escalations.append(manager, { escalations: [earlyHelp] });
          await record(decidedBy, 'escalation.sent', 'escalation', earlyHelp.id, { pupilId, route: 'early_help' });
          earlyHelpEscalationId = earlyHelp.id;
          if (step.outcome.earlyHelpAcknowledged)
            await acknowledge(context, earlyHelp, step.outcome.earlyHelpAcknowledged, at);
        }
        await escalations.append(manager, {
          outcomes: [
            {
              id: newId(),
              escalationId: escalation.id,
              outcome: step.outcome.outcome,
              note: step.outcome.note,
              earlyHelpEscalationId,
              ...recordedBy('decidedBy', decidedBy),
              decidedAt: at(step.outcome),
            },
          ],
        });
        await record(decidedBy, 'escalation.outcome_recorded', 'escalation', escalation.id, {
          pupilId,
          outcome: step.outcome.outcome,
        });
      }
    }

    if (demo.closed) {
      const by = actor(demo.closed.by);
      const closure: ConcernClosure = {
        id: newId(),
        concernId: concern.id,
        rationale: demo.closed.rationale,
        ...recordedBy('closedBy', by),
        closedAt: at(demo.closed),
      };
      await manager.getRepository(ConcernClosure).insert(closure);
      await record(by, 'concern.closed', 'concern', concern.id, { pupilId });
    }
  }
}

async function acknowledge(
  context: DemoHistoryContext,
  escalation: Escalation,
  step: DemoStep,
  at: (step: DemoStep) => Date,
): Promise<void> {
  const by = context.actors.get(step.by)!;
  await context.escalations.append(context.manager, {
    acknowledgements: [
      { id: newId(), escalationId: escalation.id, ...recordedBy('acknowledgedBy', by), acknowledgedAt: at(step) },
    ],
  });
  await context.audit.record(
    context.manager,
    by,
    'escalation.acknowledged',
    { type: 'escalation', id: escalation.id },
    { pupilId: escalation.pupilId },
  );
}
