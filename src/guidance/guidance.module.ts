import { Module } from '@nestjs/common';
import { GuidanceService } from './guidance.service';

@Module({ providers: [GuidanceService], exports: [GuidanceService] })
export class GuidanceModule {}
