import { generate } from 'otplib';
import { JsonResponse } from './api';
import { DEMO_PASSWORD, TestApp } from './test-app';

/**
 * Two-factor sign-in as a person with an authenticator app would use it: the code for now, or for the
 * step after (an app whose clock runs a little fast; the server accepts one step either side). A code
 * already accepted, or any older one, is refused, so each sign-in by code uses a later step.
 */
export function codeFor(secret: string, stepsFromNow = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + stepsFromNow * 30 });
}

export interface TwoFactorSetupAnswer {
  secret: string;
  otpauthUrl: string;
}

export interface ChallengeAnswer {
  twoFactorRequired: true;
  challengeToken: string;
  accessToken?: string;
}

/** Sets two-factor up for the session `token` (setup, then enable with the app's current code). */
export async function turnOnTwoFactor(testApp: TestApp, token: string) {
  const setup: JsonResponse<TwoFactorSetupAnswer> = await testApp
    .http()
    .post('/api/auth/2fa/setup')
    .set('Authorization', `Bearer ${token}`);
  if (setup.status !== 200) throw new Error(`setup: ${setup.status} ${JSON.stringify(setup.body)}`);
  const enabled: JsonResponse<{ recoveryCodes: string[] }> = await testApp
    .http()
    .post('/api/auth/2fa/enable')
    .set('Authorization', `Bearer ${token}`)
    .send({ code: await codeFor(setup.body.secret) });
  if (enabled.status !== 200) throw new Error(`enable: ${enabled.status} ${JSON.stringify(enabled.body)}`);
  return { secret: setup.body.secret, recoveryCodes: enabled.body.recoveryCodes };
}

/** The password step of the API's sign-in for an account with two-factor on: the challenge. */
export async function passwordStep(testApp: TestApp, email: string, password = DEMO_PASSWORD): Promise<string> {
  const answer: JsonResponse<ChallengeAnswer> = await testApp.http().post('/api/auth/login').send({ email, password });
  if (answer.status !== 200 || !answer.body.twoFactorRequired)
    throw new Error(`password step: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.challengeToken;
}

/** The code step: the usual login answer, or an error. */
export function codeStep(testApp: TestApp, challengeToken: string, code: string) {
  return testApp.http().post('/api/auth/login/2fa').send({ challengeToken, code });
}
