import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-jwt';
import { Actor } from '../common/actor';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { OrganisationsService } from '../organisations/organisations.service';
import { extractSessionToken } from './session-cookie';

export interface SessionClaims {
  sub: string;
  mid: string;
}

/**
 * Verifies HS256 tokens only (so `alg: none` and algorithm swaps are refused), with expiry enforced,
 * then loads the actor fresh from the database: a removed membership ends the session at once.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly organisations: OrganisationsService,
  ) {
    super({
      jwtFromRequest: extractSessionToken,
      secretOrKey: config.auth.jwtSecret,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(claims: SessionClaims): Promise<Actor | false> {
    if (typeof claims?.sub !== 'string' || typeof claims?.mid !== 'string') return false;
    return (await this.organisations.loadActor(claims.sub, claims.mid)) ?? false;
  }
}
