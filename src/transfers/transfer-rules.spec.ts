import { WALES_BANK_HOLIDAYS_2025_2028, WorkingDayCalendar } from '../calendar/working-days';
import { TransferError } from './transfer-errors';
import { destinationProblem, isOverdue, transferDueBy, transferStatus } from './transfer-rules';

const calendar = new WorkingDayCalendar(WALES_BANK_HOLIDAYS_2025_2028);
const sender = { organisationId: 'riverside', localAuthorityId: 'cardiff' };
const school = (overrides: Partial<Parameters<typeof destinationProblem>[1] & object> = {}) => ({
  id: 'hillcrest',
  kind: 'school' as const,
  localAuthorityId: 'cardiff',
  active: true,
  ...overrides,
});

describe('transferDueBy: 5 school days after sending', () => {
  it('a Monday send is due the next Monday at the same London time', () => {
    expect(transferDueBy(calendar, new Date('2026-11-23T10:15:00Z')).toISOString()).toBe('2026-11-30T10:15:00.000Z');
  });

  it('skips the weekend: a Thursday send is due the following Thursday', () => {
    expect(transferDueBy(calendar, new Date('2026-11-26T14:00:00Z')).toISOString()).toBe('2026-12-03T14:00:00.000Z');
  });

  it('skips bank holidays: sent on 22 December 2026, due 31 December (Christmas and Boxing Day off)', () => {
    // Wed 23, Thu 24, (Fri 25 Christmas, Mon 28 Boxing Day's substitute), Tue 29, Wed 30, Thu 31.
    const due = transferDueBy(calendar, new Date('2026-12-22T09:00:00Z'));
    expect(due.toISOString()).toBe('2026-12-31T09:00:00.000Z');
  });

  it('a weekend send counts from Monday', () => {
    expect(transferDueBy(calendar, new Date('2026-11-28T11:00:00Z')).toISOString()).toBe('2026-12-07T11:00:00.000Z');
  });
});

describe('the destination of a file', () => {
  it('may be an active school or PRU of the same local authority', () => {
    expect(destinationProblem(sender, school())).toBeNull();
    expect(destinationProblem(sender, school({ kind: 'pru' }))).toBeNull();
  });

  it('may not be the sender itself', () => {
    expect(destinationProblem(sender, school({ id: 'riverside' }))).toBe(TransferError.DestinationIsSender);
  });

  it.each([
    ['unknown', null],
    ['of another local authority', school({ localAuthorityId: 'swansea' })],
    ['deactivated', school({ active: false })],
    ['a local authority', school({ kind: 'local_authority' })],
  ])('may not be an organisation that is %s', (_what, destination) => {
    expect(destinationProblem(sender, destination)).toBe(TransferError.DestinationNotAllowed);
  });
});

describe('status and overdue', () => {
  const now = new Date('2026-12-10T12:00:00Z');
  const past = new Date('2026-12-09T12:00:00Z');
  const future = new Date('2026-12-11T12:00:00Z');

  it('is sent until received; a file sent outside the local authority is done when sent', () => {
    expect(transferStatus({ toOrganisationId: 'x' }, null)).toBe('sent');
    expect(transferStatus({ toOrganisationId: 'x' }, now)).toBe('received');
    expect(transferStatus({ toOrganisationId: null }, null)).toBe('sent_externally');
  });

  it('is overdue only while waiting for receipt past its due time', () => {
    expect(isOverdue('sent', past, now)).toBe(true);
    expect(isOverdue('sent', future, now)).toBe(false);
    expect(isOverdue('received', past, now)).toBe(false);
    expect(isOverdue('sent_externally', past, now)).toBe(false);
  });
});
