import { AuditEntry } from '../audit/audit-entry.entity';
import { LoginAttempt } from '../auth/login-attempt.entity';
import { Membership } from '../organisations/membership.entity';
import { Organisation } from '../organisations/organisation.entity';
import { User } from '../organisations/user.entity';
import { Enrolment } from '../school/enrolment.entity';
import { Household } from '../school/household.entity';
import { Pupil } from '../school/pupil.entity';

export const ENTITIES = [Organisation, User, Membership, Household, Pupil, Enrolment, AuditEntry, LoginAttempt];
