import { DynamicModule, Global, Module, Type } from '@nestjs/common';
import { OrganisationsModule } from '../organisations/organisations.module';
import { AccessPolicy } from './access-policy';
import { REFERRAL_ACCESS_RULES, ReferralAccessRules, ROLL_ACCESS_RULES, RollAccessRules } from './access-ports';

/**
 * The one access policy, for every module. Global because every domain module asks it; configured
 * once at the root with the owners' implementations of its ports, so access/ imports no domain module.
 */
@Global()
@Module({})
export class AccessModule {
  static forRoot(rules: { roll: Type<RollAccessRules>; referrals: Type<ReferralAccessRules> }): DynamicModule {
    return {
      module: AccessModule,
      imports: [OrganisationsModule],
      providers: [
        { provide: ROLL_ACCESS_RULES, useClass: rules.roll },
        { provide: REFERRAL_ACCESS_RULES, useClass: rules.referrals },
        AccessPolicy,
      ],
      exports: [AccessPolicy],
    };
  }
}
