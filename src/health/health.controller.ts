import { Controller, Get, HttpCode, Res, ServiceUnavailableException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/public.decorator';
import { Readiness } from './readiness';

@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly readiness: Readiness,
  ) {}

  /** For load balancers: 200 while this instance can reach its database, 503 otherwise. */
  @Public()
  @Get()
  @HttpCode(200)
  async health(@Res({ passthrough: true }) response: Response) {
    try {
      await this.dataSource.query('SELECT 1');
      return { status: 'ok', database: 'up' };
    } catch {
      response.status(503);
      return { status: 'error', database: 'down' };
    }
  }

  /**
   * Liveness: 200 while the process answers, touching neither the session nor the database. It is
   * also the bare route `npm run bench` measures every other route against (docs/performance.md).
   */
  @Public()
  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  /**
   * Readiness: 200 while this instance should get traffic (not shutting down, the database answers, every
   * migration applied), else 503 with Terminus's body naming the check that failed (readiness.ts).
   */
  @Public()
  @Get('ready')
  @HttpCode(200)
  async ready(@Res({ passthrough: true }) response: Response) {
    try {
      return await this.readiness.check();
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      return error.getResponse();
    }
  }
}
