import { londonDateOf } from '../../calendar/london-time';

/** The roles an action may be given to: people who work with the pupils at the organisation. */
export const ASSIGNEE_ROLES = ['staff', 'dsp', 'head_teacher'] as const;

/** Today on the London calendar (`YYYY-MM-DD`): due dates and overdue are judged on it, wherever the server runs. */
export function londonToday(now: Date): string {
  return londonDateOf(now);
}

/** A due date may be today or later (London): an action set already late helps nobody. */
export function isDueInPast(dueOn: string, now: Date): boolean {
  return dueOn < londonToday(now);
}

/** Overdue: still open after its due day (London calendar). Calendar dates compare as text. */
export function isOverdue(action: { dueOn: string; completed: boolean }, now: Date): boolean {
  return !action.completed && action.dueOn < londonToday(now);
}

/** The London calendar day `days` after `date` (`YYYY-MM-DD`, negative for before). */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}
