/**
 * Every kind of notification (API.md, "Daily work"). Only `concern_recorded` is raised so far (by dsp's
 * `ConcernsService.record`); the notifications issue raises the others, the time-based ones from a sweep.
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
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
