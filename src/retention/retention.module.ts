import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DspModule } from '../dsp/dsp.module';
import { SchoolModule } from '../school/school.module';
import { RecordDisposer } from './record-disposer';
import { RetentionController } from './retention.controller';
import { Disposal, DisposalDecision, DisposalProposal, LegalHold, LegalHoldLift } from './retention.entities';
import { RetentionEvents } from './retention-events';
import { RetentionPagesController } from './retention.pages.controller';
import { RetentionService } from './retention.service';

/**
 * Retention review (issue 14): the review list, legal holds, and two-person disposal that empties the
 * pupil's records (dsp's tables, through RecordDisposer) and keeps a tombstone (tables `legal_holds`,
 * `legal_hold_lifts`, `disposal_proposals`, `disposal_decisions`, `disposals`). Gives the chronology
 * the tombstone's entry (RetentionEvents).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([LegalHold, LegalHoldLift, DisposalProposal, DisposalDecision, Disposal]),
    DspModule,
    SchoolModule,
  ],
  controllers: [RetentionController, RetentionPagesController],
  providers: [RetentionService, RecordDisposer, RetentionEvents],
  exports: [RetentionService, RetentionEvents],
})
export class RetentionModule {}
