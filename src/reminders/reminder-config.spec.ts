import { loadConfig } from '../config/app-config';
import { isEmergencyReferral, teamRolesFor } from '../dsp/escalations/referral-notifications';

describe('REMINDER_SWEEP_SECONDS', () => {
  it('sweeps every minute unless set, and not at all in tests, which run the sweep themselves', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).reminders).toEqual({ sweepSeconds: 60 });
    expect(loadConfig({ NODE_ENV: 'test' }).reminders).toEqual({ sweepSeconds: 0 });
    expect(loadConfig({ NODE_ENV: 'test', REMINDER_SWEEP_SECONDS: '5' }).reminders).toEqual({ sweepSeconds: 5 });
    expect(loadConfig({ NODE_ENV: 'development', REMINDER_SWEEP_SECONDS: '0' }).reminders).toEqual({
      sweepSeconds: 0,
    });
  });

  it('refuses what is not a whole number of seconds from 0 to 3600, naming it', () => {
    for (const value of ['-1', '1.5', 'often', '3601'])
      expect(() => loadConfig({ NODE_ENV: 'development', REMINDER_SWEEP_SECONDS: value })).toThrow(
        /REMINDER_SWEEP_SECONDS/,
      );
  });
});

describe('who receives a referral, and when it is an emergency', () => {
  it('is the team of the route, and nobody for a route no team receives here', () => {
    expect(teamRolesFor('mash')).toEqual(['la_mash']);
    expect(teamRolesFor('early_help')).toEqual(['la_early_help']);
    expect(teamRolesFor('police')).toEqual([]);
    expect(teamRolesFor('designated_officer')).toEqual([]);
  });

  it('is an emergency at level 0 or with an emergency indicator', () => {
    expect(isEmergencyReferral({ recommendedLevel: 0 }, [])).toBe(true);
    expect(isEmergencyReferral({ recommendedLevel: 4 }, ['immediate_danger'])).toBe(true);
    expect(isEmergencyReferral({ recommendedLevel: 4 }, ['disclosure_of_abuse'])).toBe(false);
  });
});
