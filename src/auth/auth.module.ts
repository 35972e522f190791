import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { AuthController } from './auth.controller';
import { AuthPagesController } from './auth.pages.controller';
import { AuthService } from './auth.service';
import { CsrfGuard } from './csrf';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JwtStrategy } from './jwt.strategy';
import { LanguageSwitchController } from './language-switch.controller';
import { LoginAttempt } from './login-attempt.entity';
import { Session } from './session.entity';
import { SessionRegistry } from './session-registry';

@Module({
  imports: [
    TypeOrmModule.forFeature([LoginAttempt, Session]),
    OrganisationsModule,
    PassportModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ secret: config.auth.jwtSecret, signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  controllers: [AuthController, AuthPagesController, LanguageSwitchController],
  providers: [
    AuthService,
    SessionRegistry,
    JwtStrategy,
    // Order matters: who you are first, then whether the form really came from this site.
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: CsrfGuard },
  ],
  // Whoever manages accounts ends sessions through it (deactivation, an ended membership).
  exports: [SessionRegistry],
})
export class AuthModule {}
