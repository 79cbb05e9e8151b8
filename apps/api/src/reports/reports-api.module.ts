import { Module } from '@nestjs/common';
import { ReportsModule } from '@duban/reports';
import { ReportsController } from './reports.controller';

/** `GET /api/reports/:planId/quarters/:n.xlsx|.csv` and `GET /api/plans/:planId/stats`. */
@Module({
  imports: [ReportsModule],
  controllers: [ReportsController],
})
export class ReportsApiModule {}
