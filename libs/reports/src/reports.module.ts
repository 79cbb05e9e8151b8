import { Module } from '@nestjs/common';
import { PlanStatsService } from './plan-stats.service';
import { QuarterlyTableService } from './quarterly-table.service';
import { ReportsRepository } from './reports.repository';

/** Quarterly tables and plan statistics; needs the TypeORM DataSource (DatabaseModule). */
@Module({
  providers: [ReportsRepository, QuarterlyTableService, PlanStatsService],
  exports: [ReportsRepository, QuarterlyTableService, PlanStatsService],
})
export class ReportsModule {}
