import { EscalationError } from './escalation-errors';
import {
  agencyLines,
  earlyHelpFirst,
  emptyReferralForm,
  HOUSEHOLD_ROWS,
  prefillReferralForm,
  readReferralForm,
  referralRuleError,
  routeChoices,
  toSendEscalationDto,
} from './referral-form';

describe('the referral form', () => {
  it('maps the consent answers, the household rows and one agency a line to SendEscalationDto', async () => {
    const state = readReferralForm({
      route: 'early_help',
      consentSought: 'yes',
      consentGiven: 'yes',
      consentGivenBy: 'Mother (Sioned Jones)',
      householdMembers: [
        { name: 'Sioned Jones', relationship: 'Mother', dateOfBirth: '' },
        { name: '', relationship: '', dateOfBirth: '' },
        { name: 'Rhys Jones', relationship: 'Brother', dateOfBirth: '2013-10-04' },
      ],
      agenciesInvolved: 'School nurse\r\n\r\nCAMHS\n',
      communicationNeeds: 'Welsh',
      riskToVisitors: '',
      phonedDate: '2026-05-20',
      phonedTime: '09:00',
    });
    const { dto, errors } = await toSendEscalationDto(state);
    expect(errors).toEqual([]);
    expect(dto).toMatchObject({
      route: 'early_help',
      consent: { sought: true, given: true, givenBy: 'Mother (Sioned Jones)' },
      referral: {
        householdMembers: [
          { name: 'Sioned Jones', relationship: 'Mother' },
          { name: 'Rhys Jones', relationship: 'Brother', dateOfBirth: '2013-10-04' },
        ],
        agenciesInvolved: ['School nurse', 'CAMHS'],
        communicationNeeds: 'Welsh',
        phonedAt: '2026-05-20T09:00:00+01:00',
      },
    });
    expect(dto!.reasonForRoute).toBeUndefined();
    expect(dto!.referral!.riskToVisitors).toBeUndefined();
    expect(state.householdMembers).toHaveLength(4);
  });

  it('asks for a route, the consent answer, complete household rows and a whole phone time', async () => {
    const { dto, errors } = await toSendEscalationDto(
      readReferralForm({
        householdMembers: [
          { name: '', relationship: 'Aunt' },
          { name: 'Ann', relationship: '', dateOfBirth: '1990-02-30' },
        ],
        phonedDate: '2026-05-20',
      }),
    );
    expect(dto).toBeNull();
    expect(errors).toEqual([
      { field: 'route', key: 'concernPage.errors.routeMissing' },
      { field: 'consentSought', key: 'concernPage.errors.consentSoughtMissing' },
      { field: 'householdMembers-0-name', key: 'concernPage.errors.memberNameMissing', row: 1 },
      { field: 'householdMembers-1-relationship', key: 'concernPage.errors.memberRelationshipMissing', row: 2 },
      { field: 'phonedDate', key: 'concernPage.errors.phonedIncomplete' },
      { field: 'householdMembers-1-dateOfBirth', key: 'concernPage.errors.memberDateOfBirthInvalid', row: 2 },
    ]);
  });

  it("places each escalation rule's 422 on its field, with its own message", () => {
    expect(referralRuleError(EscalationError.ReasonRequiredAgainstRecommendation)).toEqual({
      field: 'reasonForRoute',
      key: 'concernPage.errors.reasonForRoute',
      max: 20,
    });
    expect(referralRuleError(EscalationError.EarlyHelpNeedsConsent)).toEqual({
      field: 'consentGiven',
      key: 'concernPage.errors.consentGivenRequired',
    });
    expect(referralRuleError(EscalationError.MashConsentNotSoughtNeedsReason)).toEqual({
      field: 'reasonNotSought',
      key: 'concernPage.errors.reasonNotSoughtRequired',
    });
    expect(referralRuleError(EscalationError.OpenReferralOnRoute)).toEqual({
      field: 'route',
      key: 'concernPage.errors.referralAlreadyOpen',
    });
  });

  it('offers early help first for a level 1 to 3 concern; going up to MASH needs no reason', () => {
    const level3 = routeChoices({ level: 3, route: 'early_help' }, 'mash');
    expect(level3.map((r) => r.value)).toEqual(['early_help', 'mash', 'designated_officer', 'police']);
    expect(level3.find((r) => r.value === 'mash')).toMatchObject({
      checked: true,
      needsReason: false,
      recommended: false,
    });
    expect(level3[0]).toMatchObject({ id: 'route', recommended: true, needsReason: false });
    expect(routeChoices({ level: 4, route: 'mash' }, '').map((r) => r.value)[0]).toBe('mash');
    expect(routeChoices({ level: 4, route: 'designated_officer' }, '').map((r) => r.value)[0]).toBe(
      'designated_officer',
    );
    // A child at risk: MASH first and chosen already (for an emergency, after calling 999), early help last.
    const emergency = routeChoices({ level: 0, route: 'police' }, '');
    expect(emergency.map((r) => r.value)).toEqual(['mash', 'police', 'designated_officer', 'early_help']);
    expect(emergency[0]).toMatchObject({ checked: true, recommended: true });
    expect(routeChoices({ level: 4, route: 'mash' }, '')[0]).toMatchObject({ value: 'mash', checked: true });
    // After "yes" a level-3 concern opens with MASH too, and early help is below the guidance.
    const yes = routeChoices({ level: 3, route: 'early_help' }, '', 'yes');
    expect(yes[0]).toMatchObject({ value: 'mash', checked: true });
    expect(yes.find((r) => r.value === 'early_help')).toMatchObject({ needsReason: true });
    expect(earlyHelpFirst({ level: 3 }, 'yes')).toBe(false);
    expect(earlyHelpFirst({ level: 3 }, 'unsure')).toBe(true);
    expect(earlyHelpFirst({ level: 4 }, null)).toBe(false);
    expect(
      emergency
        .filter((r) => !r.needsReason)
        .map((r) => r.value)
        .sort(),
    ).toEqual(['mash', 'police']);
  });

  it('splits agencies one a line, skipping blank lines', () => {
    expect(agencyLines('A\r\n  \nB')).toEqual(['A', 'B']);
    expect(agencyLines('')).toEqual([]);
  });
});

describe('prefillReferralForm', () => {
  it('fills household rows, parental responsibility and the address from the roll, keeping what was typed', () => {
    const filled = prefillReferralForm(emptyReferralForm(), {
      address: { addressLine1: '12 Heol y Bont', addressLine2: null, town: 'Cardiff', postcode: 'CF11 6AA' },
      contacts: [
        { name: 'Sara Pritchard', relationship: 'Mother', parentalResponsibility: true },
        { name: 'Karen Baker', relationship: 'Foster carer', parentalResponsibility: false },
        { name: 'Huw Pritchard', relationship: null, parentalResponsibility: true },
      ],
    });
    expect(filled.householdMembers.slice(0, 3)).toEqual([
      { name: 'Sara Pritchard', relationship: 'Mother', dateOfBirth: '' },
      { name: 'Karen Baker', relationship: 'Foster carer', dateOfBirth: '' },
      { name: 'Huw Pritchard', relationship: '', dateOfBirth: '' },
    ]);
    expect(filled.householdMembers).toHaveLength(HOUSEHOLD_ROWS);
    expect(filled.parentalResponsibility).toBe('Sara Pritchard (Mother)\nHuw Pritchard');
    expect(filled.address).toBe('12 Heol y Bont\nCardiff\nCF11 6AA');
    expect(prefillReferralForm(emptyReferralForm(), null)).toEqual(emptyReferralForm());
  });

  it('never puts an organisation (a local authority as corporate parent) in as a household member', () => {
    const filled = prefillReferralForm(emptyReferralForm(), {
      address: null,
      contacts: [
        { name: 'Cardiff Council', relationship: 'Local Authority', parentalResponsibility: true },
        { name: 'Children in Care Team', relationship: 'Corporate parent', parentalResponsibility: true },
        { name: 'Gwasanaethau Plant', relationship: 'Awdurdod lleol', parentalResponsibility: false },
        { name: 'Bethan Lewis', relationship: 'Foster carer', parentalResponsibility: false },
      ],
    });
    expect(filled.householdMembers[0]).toEqual({ name: 'Bethan Lewis', relationship: 'Foster carer', dateOfBirth: '' });
    expect(filled.householdMembers.slice(1).every((member) => member.name === '')).toBe(true);
    // Parental responsibility still says who holds it, organisation or not.
    expect(filled.parentalResponsibility).toBe(
      'Cardiff Council (Local Authority)\nChildren in Care Team (Corporate parent)',
    );
  });
});
