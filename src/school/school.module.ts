import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganisationsModule } from '../organisations/organisations.module';
import { SchoolAuditPupils } from './audit-pupils';
import { Enrolment } from './enrolment.entity';
import { Household } from './household.entity';
import { Pupil } from './pupil.entity';
import { PupilsController } from './pupils.controller';
import { PupilsPagesController } from './pupils.pages.controller';
import { PupilRepository } from './pupil.repository';
import { PupilSearchSubscriber } from './pupil-search.subscriber';
import { PupilsService } from './pupils.service';

/** The school roll: pupils, enrolments and households, shared by schools and PRUs. */
@Module({
  imports: [TypeOrmModule.forFeature([Household, Pupil, Enrolment]), OrganisationsModule],
  controllers: [PupilsController, PupilsPagesController],
  providers: [PupilsService, PupilRepository, SchoolAuditPupils, PupilSearchSubscriber],
  exports: [PupilsService, PupilRepository, SchoolAuditPupils],
})
export class SchoolModule {}
