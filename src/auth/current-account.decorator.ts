import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { UnauthenticatedError } from '../common/domain-error';
import { RequestWithSession, SESSION_ACCOUNT, SessionAccount } from './jwt.strategy';

/**
 * The account's state as the session's query read it at this request (preferences, two-factor on):
 * what `/api/me` and the account page show, without a query of their own.
 */
export const CurrentAccount = createParamDecorator((_: unknown, context: ExecutionContext): SessionAccount => {
  const account = context.switchToHttp().getRequest<RequestWithSession>()[SESSION_ACCOUNT];
  if (!account) throw new UnauthenticatedError();
  return account;
});
