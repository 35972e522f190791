import { Module } from '@nestjs/common';
import { DirectoryService } from './directory/directory.service';
import { DraftGuidanceService } from './draft-guidance.service';
import { GuidanceController } from './guidance.controller';
import { GuidanceService } from './guidance.service';

/** The levels-of-need engine, the services directory and the evaluate route. */
@Module({ controllers: [GuidanceController], providers: [GuidanceService, DirectoryService, DraftGuidanceService], exports: [GuidanceService, DirectoryService] })
export class GuidanceModule {}
