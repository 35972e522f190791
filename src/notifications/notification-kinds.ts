/**
 * Every kind of notification (API.md, "Daily work"; kinds are added, never renamed). Raised in their
 * owners' transactions (`concern_recorded`, `referral_received`, `referral_answered`, `transfer_received`)
 * or by the reminder sweep (src/reminders: the others). `referral_confirm_in_writing`: a phone report
 * not yet confirmed by a written referral 24 hours later (DOMAIN.md, Timescales).
 */
export const NOTIFICATION_KINDS = [
  'concern_recorded',
  'referral_received',
  'referral_overdue',
  'referral_answered',
  'referral_chase',
  'transfer_received',
  'transfer_overdue',
  'action_due',
  'action_overdue',
  'referral_confirm_in_writing',
  // A correction that made a concern an emergency (a level-0 indicator added): told as urgently as a new one.
  'concern_emergency',
  // An action given to someone (not by themselves): they learn of it when it is set, not only on the due day.
  'action_assigned',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
