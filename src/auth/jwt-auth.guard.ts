import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { UnauthenticatedError } from '../common/domain-error';
import { IS_PUBLIC, SESSION_OPTIONAL } from './public.decorator';

/** Global: every route needs a valid session unless marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    return super.canActivate(context);
  }

  /** On a @SessionOptional() route, no session (or a lapsed one) is a visitor, not an error. */
  override handleRequest<T>(error: unknown, actor: T, _info: unknown, context: ExecutionContext): T {
    if (error || !actor) {
      const optional = this.reflector.getAllAndOverride<boolean>(SESSION_OPTIONAL, [
        context.getHandler(),
        context.getClass(),
      ]);
      if (optional) return null as T;
      throw new UnauthenticatedError();
    }
    return actor;
  }
}
