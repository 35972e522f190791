import { Request, Response } from 'express';
import passport from 'passport';
import { AccessPolicy } from '../access/access-policy';
import { Actor } from '../common/actor';
import { ErrorPageLocals } from '../common/app-exception.filter';
import { RequestWithLanguage } from '../i18n/language';
import { setPageLocals } from './page-locals.interceptor';

/**
 * An error page for a request no route saw (an unknown address answers 404 before any guard or
 * interceptor runs) would lose the header, the menu and the account's language. This reads the session
 * cookie as the routes' guard does (the same passport strategy: signature, expiry, signed-out sessions,
 * removed memberships) and fills the layout's locals, unless the route's guard already did (then its
 * actor is used). A visitor, or any failure, leaves them empty.
 */
export function errorPageLocals(accessPolicy: AccessPolicy): ErrorPageLocals {
  return (request: Request, response: Response) =>
    new Promise<void>((resolve) => {
      if (response.locals.actor || request.path.startsWith('/api/')) return resolve();
      // The route's guard already ran (an error after it: another guard, a pipe): its answer, not a
      // second load of the same actor. Null there is a visitor or a lapsed session.
      if (Object.hasOwn(request, 'user')) {
        const known = (request as Request & { user?: Actor | null }).user;
        if (known) setPageLocals(request as Request & RequestWithLanguage, response, known, accessPolicy);
        return resolve();
      }
      const authenticate = passport.authenticate('jwt', { session: false }, (error: unknown, actor: unknown) => {
        if (!error && actor)
          setPageLocals(request as Request & RequestWithLanguage, response, actor as Actor, accessPolicy);
        resolve();
      }) as (request: Request, response: Response, next: (error?: unknown) => void) => void;
      authenticate(request, response, () => resolve());
    });
}
