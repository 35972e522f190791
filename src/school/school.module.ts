import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessModule } from '../access/access.module';
import { Enrolment } from './enrolment.entity';
import { Household } from './household.entity';
import { Pupil } from './pupil.entity';
import { PupilsController } from './pupils.controller';
import { PupilsPagesController } from './pupils.pages.controller';
import { PupilsService } from './pupils.service';

/** The school roll: pupils, enrolments and households, shared by schools and PRUs. */
@Module({
  imports: [TypeOrmModule.forFeature([Household, Pupil, Enrolment]), AccessModule],
  controllers: [PupilsController, PupilsPagesController],
  providers: [PupilsService],
  exports: [PupilsService],
})
export class SchoolModule {}
