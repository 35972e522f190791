import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { GracefulShutdown } from './graceful-shutdown';
import { HealthController } from './health.controller';
import { Readiness } from './readiness';

@Module({
  imports: [TerminusModule],
  controllers: [HealthController],
  providers: [Readiness, GracefulShutdown],
  exports: [GracefulShutdown],
})
export class HealthModule {}
