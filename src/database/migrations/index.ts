import { Foundation1764115200000 } from './1764115200000-Foundation';
import { CoreLoop1764201600000 } from './1764201600000-CoreLoop';
import { GuidanceDirectory1764288000000 } from './1764288000000-GuidanceDirectory';
import { SessionHardening1764374400000 } from './1764374400000-SessionHardening';
import { FormSubmissions1764470000000 } from './1764470000000-FormSubmissions';
import { SafeGuidance1764550000000 } from './1764550000000-SafeGuidance';
import { ReferralBalanceIndex1764550200000 } from './1764550200000-ReferralBalanceIndex';
import { ChildsWordsLanguageName1764550400000 } from './1764550400000-ChildsWordsLanguageName';
import { DecisionPhonedAt1764550500000 } from './1764550500000-DecisionPhonedAt';
import { ConcernStates1764640000000 } from './1764640000000-ConcernStates';
import { ReferralStates1764640100000 } from './1764640100000-ReferralStates';
import { ReferralBalanceCounts1764640200000 } from './1764640200000-ReferralBalanceCounts';
import { PupilSearchAndPaging1764640300000 } from './1764640300000-PupilSearchAndPaging';
import { AuditPending1764640400000 } from './1764640400000-AuditPending';
import { AuditCounts1764640500000 } from './1764640500000-AuditCounts';
import { ConcernStateCounts1764640600000 } from './1764640600000-ConcernStateCounts';
import { AuditAtIndex1764640700000 } from './1764640700000-AuditAtIndex';
import { IdempotencyKeys1764640800000 } from './1764640800000-IdempotencyKeys';
import { SignInDevices1764640900000 } from './1764640900000-SignInDevices';
import { Credentials1764641000000 } from './1764641000000-Credentials';
import { Accounts1764641100000 } from './1764641100000-Accounts';
import { TwoFactor1764641200000 } from './1764641200000-TwoFactor';
import { RollImport1764641300000 } from './1764641300000-RollImport';
import { RetainedAccess1764641400000 } from './1764641400000-RetainedAccess';
import { Notifications1764641500000 } from './1764641500000-Notifications';
import { Placements1764641600000 } from './1764641600000-Placements';
import { Transfers1764641700000 } from './1764641700000-Transfers';
import { ConcernAmendments1764642000000 } from './1764642000000-ConcernAmendments';
import { Actions1764641800000 } from './1764641800000-Actions';
import { ConcernAttachments1764642100000 } from './1764642100000-ConcernAttachments';
import { Retention1764642200000 } from './1764642200000-Retention';
import { NotificationEmails1764641900000 } from './1764641900000-NotificationEmails';
import { AuditCountsTrigger1764643200000 } from './1764643200000-AuditCountsTrigger';

/** Every migration, in order. Listed explicitly so the build, the tests and the CLI run the same set. */
export const MIGRATIONS = [
  Foundation1764115200000,
  CoreLoop1764201600000,
  GuidanceDirectory1764288000000,
  SessionHardening1764374400000,
  FormSubmissions1764470000000,
  SafeGuidance1764550000000,
  ReferralBalanceIndex1764550200000,
  ChildsWordsLanguageName1764550400000,
  DecisionPhonedAt1764550500000,
  ConcernStates1764640000000,
  ReferralStates1764640100000,
  ReferralBalanceCounts1764640200000,
  PupilSearchAndPaging1764640300000,
  AuditPending1764640400000,
  AuditCounts1764640500000,
  ConcernStateCounts1764640600000,
  AuditAtIndex1764640700000,
  IdempotencyKeys1764640800000,
  SignInDevices1764640900000,
  Credentials1764641000000,
  Accounts1764641100000,
  TwoFactor1764641200000,
  RollImport1764641300000,
  RetainedAccess1764641400000,
  Notifications1764641500000,
  Placements1764641600000,
  Transfers1764641700000,
  Actions1764641800000,
  NotificationEmails1764641900000,
  ConcernAmendments1764642000000,
  ConcernAttachments1764642100000,
  Retention1764642200000,
  AuditCountsTrigger1764643200000,
];
