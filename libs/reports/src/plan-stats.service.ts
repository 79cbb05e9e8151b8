import { Injectable } from '@nestjs/common';
import { DomainError } from '@duban/errors';
import { reportMoment } from './as-of';
import { computePlanStats, type PlanStats, type PlanStatsFilter } from './plan-stats';
import { ReportsRepository } from './reports.repository';

export interface PlanStatsOptions extends PlanStatsFilter {
  /** One quarter, or every quarter when absent. */
  quarter?: number;
  /** `YYYY-MM-DD`: what was known at the end of that day, Asia/Shanghai. */
  asOf?: string;
  now?: Date;
}

/** The figures behind the lamps, for the office's dashboard. */
@Injectable()
export class PlanStatsService {
  constructor(private readonly repository: ReportsRepository) {}

  async stats(planId: string, options: PlanStatsOptions = {}): Promise<PlanStats> {
    const { quarter, category, unit, cityLevel } = options;
    if (quarter !== undefined && (!Number.isInteger(quarter) || quarter < 1 || quarter > 4)) {
      throw new DomainError('INVALID_INPUT', `quarter must be 1, 2, 3 or 4, got ${quarter}`);
    }
    const moment = reportMoment(options.asOf, options.now ?? new Date());
    const data = await this.repository.load(planId, quarter);
    return computePlanStats(data, quarter ?? null, moment, { category, unit, cityLevel });
  }
}
