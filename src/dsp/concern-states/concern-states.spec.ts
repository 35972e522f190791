import { invertDigits, invertDigitsSql } from '../../database/concern-states.sql';
import { EMERGENCY_INDICATORS_AT_1764640000000 } from '../../database/migrations/1764640000000-ConcernStates';
import { EMERGENCY_INDICATORS } from '../../guidance/guidance-engine';

describe('concern_states', () => {
  it('was backfilled with the level-0 indicators the guidance has today (a new one needs a migration to rebuild the states)', () => {
    expect([...EMERGENCY_INDICATORS_AT_1764640000000]).toEqual([...EMERGENCY_INDICATORS]);
  });

  it('inverts an instant so ascending order is most recent first', () => {
    const instants = ['2026-11-30T23:59:59.999Z', '2025-01-01T00:00:00.000Z', '2026-11-30T23:59:59.998Z'];
    const inverted = instants.map(invertDigits);
    expect(invertDigits('2026-11-30T09:05:00.000Z')).toBe('7973-88-69T90:94:99.999Z');
    expect([...inverted].sort().map(invertDigits)).toEqual([...instants].sort().reverse());
    expect(invertDigitsSql('x')).toMatch(/^REPLACE\(/);
  });
});
