import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { notFound } from '@duban/errors';
import { PlanEntity, TaskEntity } from '@duban/persistence';

export interface PlanSummary {
  id: string;
  docNumber: string;
  title: string;
  year: number;
  sourceYear: number;
  issuedOn: string;
  reportTo: string;
  issuers: string[];
  status: string;
  importedAt: string;
  activatedAt: string | null;
  categories: number;
  tasks: number;
  cityLevelTasks: number;
}

@Injectable()
export class PlanQueryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(page: number, pageSize: number): Promise<{ items: PlanSummary[]; total: number }> {
    const [plans, total] = await this.dataSource.getRepository(PlanEntity).findAndCount({
      order: { year: 'DESC', id: 'ASC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
      relations: { categories: true },
    });
    const items = await Promise.all(plans.map((p) => this.summarise(p)));
    return { items, total };
  }

  async get(planId: string): Promise<PlanSummary> {
    const plan = await this.dataSource
      .getRepository(PlanEntity)
      .findOne({ where: { id: planId }, relations: { categories: true } });
    if (!plan) throw notFound(`plan ${planId}`);
    return this.summarise(plan);
  }

  /** Tasks with their responsible units and quarterly targets, in the notice's order. */
  async tasksOf(planId: string): Promise<TaskEntity[]> {
    await this.get(planId);
    return this.dataSource.getRepository(TaskEntity).find({
      where: { planId },
      relations: { responsibilities: true, targets: true },
      order: {
        position: 'ASC',
        responsibilities: { position: 'ASC' },
        targets: { quarter: 'ASC' },
      },
    });
  }

  private async summarise(plan: PlanEntity): Promise<PlanSummary> {
    const tasks = this.dataSource.getRepository(TaskEntity);
    const [taskCount, cityLevel] = await Promise.all([
      tasks.countBy({ planId: plan.id }),
      tasks.countBy({ planId: plan.id, cityLevel: true }),
    ]);
    return {
      id: plan.id,
      docNumber: plan.docNumber,
      title: plan.title,
      year: plan.year,
      sourceYear: plan.sourceYear,
      issuedOn: plan.issuedOn,
      reportTo: plan.reportTo,
      issuers: plan.issuers,
      status: plan.status,
      importedAt: plan.importedAt.toISOString(),
      activatedAt: plan.activatedAt?.toISOString() ?? null,
      categories: plan.categories?.length ?? 0,
      tasks: taskCount,
      cityLevelTasks: cityLevel,
    };
  }
}
