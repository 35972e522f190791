import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganisationsModule } from '../organisations/organisations.module';
import { SchoolAuditPupils } from './audit-pupils';
import { RetainedAccess } from './access/retained-access.entity';
import { Enrolment } from './enrolment.entity';
import { EnrolmentChanges } from './enrolment-changes';
import { Household } from './household.entity';
import { Pupil } from './pupil.entity';
import { PupilsController } from './pupils.controller';
import { PupilsPagesController } from './pupils.pages.controller';
import { PupilRepository } from './pupil.repository';
import { PupilSearchSubscriber } from './pupil-search.subscriber';
import { PupilsService } from './pupils.service';
import { PupilContactDetails } from './roll/contact-details.entity';
import { PupilContactsReader } from './roll/pupil-contacts.reader';
import { RollImportController } from './roll/roll-import.controller';
import { RollImportPagesController } from './roll/roll-import.pages.controller';
import { RollImportService } from './roll/roll-import.service';
import { RollUpload } from './roll/roll-upload.entity';
import { RollUploads } from './roll/roll-uploads';

/**
 * The school roll: pupils, enrolments and households, shared by schools and PRUs; what an organisation
 * keeps reading after a pupil leaves it (access/, for the access policy; changed by EnrolmentChanges); and bringing a roll
 * in from a school's information system (roll/: CSV or CTF, with addresses and contacts).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Household, Pupil, Enrolment, PupilContactDetails, RollUpload, RetainedAccess]),
    OrganisationsModule,
  ],
  controllers: [PupilsController, PupilsPagesController, RollImportController, RollImportPagesController],
  providers: [
    PupilsService,
    PupilRepository,
    SchoolAuditPupils,
    PupilSearchSubscriber,
    PupilContactsReader,
    RollImportService,
    RollUploads,
    EnrolmentChanges,
  ],
  exports: [PupilsService, PupilRepository, SchoolAuditPupils, RollImportService, EnrolmentChanges],
})
// The roll routes' bodies are read by roll/roll-body.ts, mounted in app.setup.ts (an Express `use`).
export class SchoolModule {}
