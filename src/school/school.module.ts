import { Module } from '@nestjs/common';
import { PupilsController } from './pupils.controller';
import { PupilsPagesController } from './pupils.pages.controller';
import { PupilRepository } from './pupil.repository';
import { PupilsService } from './pupils.service';

/** The school roll: pupils, enrolments and households, shared by schools and PRUs. */
@Module({
  controllers: [PupilsController, PupilsPagesController],
  providers: [PupilsService, PupilRepository],
  exports: [PupilsService, PupilRepository],
})
export class SchoolModule {}
