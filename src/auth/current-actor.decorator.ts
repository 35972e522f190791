import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Request } from 'express';
import { Actor } from '../common/actor';
import { UnauthenticatedError } from '../common/domain-error';

export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<Request & { user?: Actor }>().user;
  if (!actor) throw new UnauthenticatedError();
  return actor;
});
