import { createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Request } from 'express';
import { Strategy } from 'passport-jwt';
import { Actor } from '../common/actor';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ActorCondition, OrganisationsService } from '../organisations/organisations.service';
import { RevokedSession } from './revoked-session.entity';
import { authCookieNames, sessionTokenExtractor } from './session-cookie';

export interface SessionClaims {
  sub: string;
  mid: string;
  /** The session's own id, so signing out can end this session and no other. */
  jti: string;
  /** 'setup': the account had to set up two-factor when this session began (two-factor-gate.ts). */
  tfa?: string;
}

/** Where the strategy leaves the verified session on the request, for signing out. */
export const SESSION_CLAIMS = Symbol('sessionClaims');
export type RequestWithSession = Request & {
  [SESSION_CLAIMS]?: { jti: string; exp: number; twoFactorSetup?: boolean };
};

/**
 * Verifies HS256 tokens only (so `alg: none` and algorithm swaps are refused), with expiry enforced,
 * then loads the actor fresh from the database: a removed membership ends the session at once, and so
 * does signing out (the same query refuses a revoked `jti`). A token without a `jti` cannot be signed
 * out, so it is refused.
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
    const { sub, mid, jti, exp, tfa } = claims ?? {};
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
    request[SESSION_CLAIMS] = { jti, exp, twoFactorSetup: tfa === 'setup' };
    return actor;
  }
}

/** Added to the actor's query, so a signed-out session is refused in the same single query. */
export function notSignedOut(jti: string): ActorCondition {
  return (query) => {
    const revoked = query
      .subQuery()
      .select('1')
      .from(RevokedSession, 'revoked')
      .where('revoked.jti = :sessionId')
      .getQuery();
    query.andWhere(`NOT EXISTS ${revoked}`, { sessionId: jti });
  };
}
