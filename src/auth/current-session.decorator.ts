import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { UnauthenticatedError } from '../common/domain-error';
import { CurrentSessionClaims } from './auth.service';
import { RequestWithSession, SESSION_CLAIMS } from './jwt.strategy';

/** The session (token id and expiry) the request was authenticated with, for signing it out. */
export const CurrentSession = createParamDecorator((_: unknown, context: ExecutionContext): CurrentSessionClaims => {
  const session = context.switchToHttp().getRequest<RequestWithSession>()[SESSION_CLAIMS];
  if (!session) throw new UnauthenticatedError();
  return session;
});
