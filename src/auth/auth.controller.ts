import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { Request } from 'express';
import { Actor } from '../common/actor';
import { LoginDto } from './auth.dto';
import { AuthService, CurrentSessionClaims } from './auth.service';
import { CurrentActor } from './current-actor.decorator';
import { CurrentSession } from './current-session.decorator';
import { toMeResponse } from './me.mapper';
import { Public } from './public.decorator';

@Controller('api')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  async login(@Body() body: LoginDto, @Req() request: Request) {
    const { accessToken, actor } = await this.auth.signIn(body.email, body.password, request.ip ?? null);
    return { accessToken, user: toMeResponse(actor) };
  }

  /** Ends the session whose token made this request (204); the caller's other sessions go on. */
  @Post('auth/logout')
  @HttpCode(204)
  async logout(@CurrentActor() actor: Actor, @CurrentSession() session: CurrentSessionClaims): Promise<void> {
    await this.auth.signOut(actor, session);
  }

  @Get('me')
  me(@CurrentActor() actor: Actor) {
    return toMeResponse(actor);
  }
}
