import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessModule } from '../access/access.module';
import { DirectoryAdminService } from './directory/directory-admin.service';
import { DirectoryPagesController } from './directory/directory.pages.controller';
import { DirectoryService } from './directory/directory.service';
import { GuidanceSettings } from './directory/guidance-settings.entity';
import { ServiceDirectoryEntryRecord } from './directory/service-directory-entry.entity';
import { DraftGuidanceService } from './draft-guidance.service';
import { GuidanceController } from './guidance.controller';
import { GuidanceService } from './guidance.service';

/** The levels-of-need engine, the services directory (and its editor for the local authority lead) and the evaluate route. */
@Module({
  imports: [TypeOrmModule.forFeature([ServiceDirectoryEntryRecord, GuidanceSettings]), AccessModule],
  controllers: [GuidanceController, DirectoryPagesController],
  providers: [GuidanceService, DirectoryService, DirectoryAdminService, DraftGuidanceService],
  exports: [GuidanceService, DirectoryService, DraftGuidanceService],
})
export class GuidanceModule {}
