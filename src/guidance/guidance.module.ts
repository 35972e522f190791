import { DynamicModule, Module, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DirectoryAdminService } from './directory/directory-admin.service';
import { DirectoryPagesController } from './directory/directory.pages.controller';
import { DirectoryService } from './directory/directory.service';
import { GuidanceSettings } from './directory/guidance-settings.entity';
import { ServiceDirectoryEntryRecord } from './directory/service-directory-entry.entity';
import { DraftGuidanceService } from './draft-guidance.service';
import { GuidanceController } from './guidance.controller';
import { GuidanceService } from './guidance.service';
import { PUPIL_HISTORY_READER, PupilHistoryReader } from './pupil-history';

/**
 * The levels-of-need engine, the services directory (and its editor for the local authority lead) and
 * the evaluate route. The module that keeps concerns and referrals imports it with its implementation
 * of the PupilHistoryReader port (`GuidanceModule.register({ pupilHistory })`), so guidance depends on
 * no domain module.
 */
@Module({})
export class GuidanceModule {
  static register(ports: { pupilHistory: Type<PupilHistoryReader> }): DynamicModule {
    return {
      module: GuidanceModule,
      imports: [TypeOrmModule.forFeature([ServiceDirectoryEntryRecord, GuidanceSettings])],
      controllers: [GuidanceController, DirectoryPagesController],
      providers: [
        { provide: PUPIL_HISTORY_READER, useClass: ports.pupilHistory },
        GuidanceService,
        DirectoryService,
        DirectoryAdminService,
        DraftGuidanceService,
      ],
      exports: [GuidanceService, DirectoryService, DraftGuidanceService],
    };
  }
}
