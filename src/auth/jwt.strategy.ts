import { createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Request } from 'express';
import { Strategy } from 'passport-jwt';
import { Actor } from '../common/actor';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ActorCondition, OrganisationsService } from '../organisations/organisations.service';
import { Session } from './session.entity';
import { authCookieNames, sessionTokenExtractor } from './session-cookie';

export interface SessionClaims {
  sub: string;
  mid: string;
  /** The session's own id, so signing out can end this session and no other. */
  jti: string;
}

/** Where the strategy leaves the verified session on the request, for signing out. */
export const SESSION_CLAIMS = Symbol('sessionClaims');
export type RequestWithSession = Request & { [SESSION_CLAIMS]?: { jti: string; exp: number } };

/**
 * Verifies HS256 tokens only (so `alg: none` and algorithm swaps are refused), with expiry enforced,
 * then loads the actor fresh from the database: a removed membership ends the session at once, and so
 * does ending its session (the same query requires the `jti`'s session row, for this user and
 * membership, not yet ended). A token without a `jti` names no session, so it is refused.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly organisations: OrganisationsService,
  ) {
    super({
      jwtFromRequest: sessionTokenExtractor(authCookieNames(config.auth.cookieSecure)),
      // A KeyObject made once: given a string, jsonwebtoken first tries it as a PEM public key on every
      // request (a thrown error each time, measured a few per cent of a read's CPU), then as a secret.
      secretOrKey: createSecretKey(Buffer.from(config.auth.jwtSecret)) as unknown as string,
      algorithms: ['HS256'],
      ignoreExpiration: false,
      passReqToCallback: true,
    });
  }

  async validate(
    request: RequestWithSession,
    claims: Partial<SessionClaims> & { exp?: unknown },
  ): Promise<Actor | false> {
    const { sub, mid, jti, exp } = claims ?? {};
    if (
      typeof sub !== 'string' ||
      typeof mid !== 'string' ||
      typeof jti !== 'string' ||
      !jti ||
      typeof exp !== 'number'
    )
      return false;
    const actor = await this.organisations.loadActor(sub, mid, notSignedOut(jti));
    if (!actor) return false;
    request[SESSION_CLAIMS] = { jti, exp };
    return actor;
  }
}

/**
 * Added to the actor's query, so the session is checked in the same single query: its row exists (every
 * session issued is recorded), belongs to this user and membership, and has not ended (signed out, a
 * new password, a deactivated account, an ended membership). `user` and `membership` are the actor
 * query's aliases (OrganisationsService.loadActor).
 */
export function notSignedOut(jti: string): ActorCondition {
  return (query) => {
    const open = query
      .subQuery()
      .select('1')
      .from(Session, 'session')
      .where('session.jti = :sessionId')
      .andWhere('session.user_id = user.id')
      .andWhere('session.membership_id = membership.id')
      .andWhere('session.ended_at IS NULL')
      .getQuery();
    query.andWhere(`EXISTS ${open}`, { sessionId: jti });
  };
}
