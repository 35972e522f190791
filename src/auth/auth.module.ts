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
import { AccountPagesController } from './account.pages.controller';
import { AuthService } from './auth.service';
import { CsrfGuard } from './csrf';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JwtStrategy } from './jwt.strategy';
import { LanguageSwitchController } from './language-switch.controller';
import { LoginAttempt } from './login-attempt.entity';
import { Session } from './session.entity';
import { SessionRegistry } from './session-registry';
import { PasswordReset } from './password-reset.entity';
import { PasswordsService } from './passwords.service';
import { AccountSettingsService } from './account-settings.service';
import { TwoFactorChanges } from './two-factor/two-factor-changes';
import { TwoFactorController } from './two-factor/two-factor.controller';
import { RecoveryCode, TwoFactorChallenge, TwoFactorCredential } from './two-factor/two-factor.entities';
import { TwoFactorGate } from './two-factor/two-factor-gate';
import { TwoFactorPagesController } from './two-factor/two-factor.pages.controller';
import { TwoFactorService } from './two-factor/two-factor.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      LoginAttempt,
      Session,
      PasswordReset,
      TwoFactorCredential,
      RecoveryCode,
      TwoFactorChallenge,
    ]),
    OrganisationsModule,
    PassportModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ secret: config.auth.jwtSecret, signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  controllers: [
    AuthController,
    AuthPagesController,
    AccountPagesController,
    LanguageSwitchController,
    TwoFactorController,
    TwoFactorPagesController,
  ],
  providers: [
    AuthService,
    SessionRegistry,
    PasswordsService,
    AccountSettingsService,
    TwoFactorService,
    TwoFactorChanges,
    JwtStrategy,
    // Order matters: who you are first, then whether REQUIRE_2FA lets this session past setting up
    // two-factor, then whether the form really came from this site.
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: TwoFactorGate },
    { provide: APP_GUARD, useClass: CsrfGuard },
  ],
  // Whoever manages accounts ends sessions through the registry (deactivation, an ended membership), and
  // lists whether an account has two-factor on (GET /api/users' twoFactorEnabled).
  exports: [SessionRegistry, TwoFactorService, PasswordsService],
})
export class AuthModule {}
