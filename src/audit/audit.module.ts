import { DynamicModule, Global, Module, ModuleMetadata, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEntry } from './audit-entry.entity';
import { AuditChainer } from './audit-chainer';
import { AuditCheckpointer } from './audit-checkpointer';
import { AuditPendingEntry } from './audit-pending-entry.entity';
import { OrganisationsModule } from '../organisations/organisations.module';
import { AuditPupils } from './audit-pupils';
import { AuditReadPolicy } from './audit-read-policy';
import { AuditController } from './audit.controller';
import { AuditPagesController } from './audit.pages.controller';
import { AuditService } from './audit.service';
import { SignInAudit } from '../auth/sign-in-audit';
import { SignInAuditLog } from './sign-in-audit-log';
import { CredentialsAudit } from '../auth/credentials-audit';
import { CredentialsAuditLog } from './credentials-audit-log';
import { TwoFactorAudit } from '../auth/two-factor/two-factor-audit';
import { TwoFactorAuditLog } from './two-factor-audit-log';

/**
 * The audit log. Global, as a platform service: every module records its reads and changes in it, so it
 * imports no module above the platform; who may read it comes from the `readPolicy` the app binds, and
 * pupils' names from the `pupils` port (school's SchoolAuditPupils).
 */
@Global()
@Module({})
export class AuditModule {
  static register(options: {
    readPolicy: Type<AuditReadPolicy>;
    pupils: Type<AuditPupils>;
    imports?: ModuleMetadata['imports'];
  }): DynamicModule {
    return {
      module: AuditModule,
      imports: [
        TypeOrmModule.forFeature([AuditEntry, AuditPendingEntry]),
        OrganisationsModule,
        ...(options.imports ?? []),
      ],
      controllers: [AuditController, AuditPagesController],
      providers: [
        AuditService,
        AuditChainer,
        AuditCheckpointer,
        { provide: AuditReadPolicy, useExisting: options.readPolicy },
        { provide: AuditPupils, useExisting: options.pupils },
        // Auth's port: sign-ins, failures, lockouts and sign-outs go in the log too.
        { provide: SignInAudit, useClass: SignInAuditLog },
        // And changes of passwords and account settings.
        { provide: CredentialsAudit, useClass: CredentialsAuditLog },
        // And two-factor sign-in being turned on or off, new recovery codes, a recovery code used.
        { provide: TwoFactorAudit, useClass: TwoFactorAuditLog },
      ],
      exports: [AuditService, SignInAudit, CredentialsAudit, TwoFactorAudit],
    };
  }
}
