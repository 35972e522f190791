import { Actor } from '../common/actor';
import { ErrorCode } from '../common/domain-error';
import { toMeResponse } from './me.mapper';
import { PasswordPolicyError, PasswordRuleError, PasswordError } from './passwords.service';
import { PasswordProblem } from './password-policy';

const actor: Actor = {
  userId: 'u1',
  membershipId: 'm1',
  email: 'dsp@school.example',
  name: 'Dee Ess',
  role: 'dsp',
  organisationId: 'o1',
  organisationName: 'School',
  organisationKind: 'school',
  localAuthorityId: 'la1',
  language: 'cy',
};

describe('password errors as the API answers them', () => {
  it('a refused new password is a 400 naming every field given, with each problem in words', () => {
    const error = new PasswordPolicyError(
      [PasswordProblem.TooShort, PasswordProblem.Common],
      ['newPassword', 'password'],
    );
    expect(error.code).toBe(ErrorCode.InvalidInput);
    expect(Object.keys(error.errors)).toEqual(['newPassword', 'password']);
    expect(error.errors.password).toEqual([
      'Password must be at least 12 characters',
      'Password is one of the 10,000 most common passwords: choose one that is harder to guess',
    ]);
    expect(error.problems).toEqual(['too_short', 'common']);
  });

  it('a wrong current password is a broken rule (422) about currentPassword', () => {
    const error = new PasswordRuleError(PasswordError.CurrentPasswordWrong);
    expect(error.code).toBe(ErrorCode.RuleBroken);
    expect(error.rule).toBe('current_password_wrong');
    expect(Object.keys(error.errors)).toEqual(['currentPassword']);
  });
});

describe('the me answer', () => {
  it('adds emailNotifications only where the preferences are given (/api/me, not the sign-in answer)', () => {
    expect(toMeResponse(actor)).not.toHaveProperty('emailNotifications');
    expect(toMeResponse(actor, { emailNotifications: false })).toEqual({
      id: 'u1',
      email: 'dsp@school.example',
      name: 'Dee Ess',
      role: 'dsp',
      organisationId: 'o1',
      language: 'cy',
      emailNotifications: false,
    });
  });
});
