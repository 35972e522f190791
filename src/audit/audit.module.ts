import { DynamicModule, Global, Module, ModuleMetadata, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEntry } from './audit-entry.entity';
import { AuditReadPolicy } from './audit-read-policy';
import { AuditController } from './audit.controller';
import { AuditPagesController } from './audit.pages.controller';
import { AuditService } from './audit.service';

/**
 * The audit log. Global, as a platform service: every module records its reads and changes in it, so it
 * imports no module above the platform; who may read it comes from the `readPolicy` the app binds.
 */
@Global()
@Module({})
export class AuditModule {
  static register(options: { readPolicy: Type<AuditReadPolicy>; imports?: ModuleMetadata['imports'] }): DynamicModule {
    return {
      module: AuditModule,
      imports: [TypeOrmModule.forFeature([AuditEntry]), ...(options.imports ?? [])],
      controllers: [AuditController, AuditPagesController],
      providers: [AuditService, { provide: AuditReadPolicy, useExisting: options.readPolicy }],
      exports: [AuditService],
    };
  }
}
