import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { TemporalClientService } from '@duban/temporal';
import { Public } from '../auth/decorators';

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status!: 'ok' | 'degraded';
  @ApiProperty({ enum: ['up', 'down'] }) db!: 'up' | 'down';
  @ApiProperty({ enum: ['up', 'down'] }) temporal!: 'up' | 'down';
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly temporal: TemporalClientService,
  ) {}

  /** 200 when Postgres and Temporal both answer, 503 otherwise (readiness). */
  @Get()
  @ApiOkResponse({ type: HealthDto })
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthDto> {
    const [db, temporal] = await Promise.all([this.databaseUp(), this.temporal.isHealthy()]);
    const body: HealthDto = {
      status: db && temporal ? 'ok' : 'degraded',
      db: db ? 'up' : 'down',
      temporal: temporal ? 'up' : 'down',
    };
    res.status(db && temporal ? 200 : 503);
    return body;
  }

  /** Liveness: the process answers; dependencies are not consulted. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  private async databaseUp(): Promise<boolean> {
    try {
      await this.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }
}
