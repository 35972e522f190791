import { ConcernClosure } from '../dsp/concerns/concern-closure.entity';
import { ConcernDecision } from '../dsp/concerns/concern-decision.entity';
import { ConcernLinkedPupil } from '../dsp/concerns/concern-linked-pupil.entity';
import { Concern } from '../dsp/concerns/concern.entity';
import { Escalation } from '../dsp/escalations/escalation.entity';
import { EscalationAcknowledgement } from '../dsp/escalations/escalation-acknowledgement.entity';
import { EscalationOutcome } from '../dsp/escalations/escalation-outcome.entity';
import { GuidanceSettings } from '../guidance/directory/guidance-settings.entity';
import { ServiceDirectoryEntryRecord } from '../guidance/directory/service-directory-entry.entity';
import { AuditEntry } from '../audit/audit-entry.entity';
import { LoginAttempt } from '../auth/login-attempt.entity';
import { RevokedSession } from '../auth/revoked-session.entity';
import { Membership } from '../organisations/membership.entity';
import { Organisation } from '../organisations/organisation.entity';
import { User } from '../organisations/user.entity';
import { Enrolment } from '../school/enrolment.entity';
import { Household } from '../school/household.entity';
import { Pupil } from '../school/pupil.entity';

export const ENTITIES = [
  Organisation,
  User,
  Membership,
  Household,
  Pupil,
  Enrolment,
  AuditEntry,
  LoginAttempt,
  RevokedSession,
  Concern,
  ConcernLinkedPupil,
  ConcernDecision,
  ConcernClosure,
  Escalation,
  EscalationAcknowledgement,
  EscalationOutcome,
  ServiceDirectoryEntryRecord,
  GuidanceSettings,
];
