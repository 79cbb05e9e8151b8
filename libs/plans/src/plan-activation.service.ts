import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { DataSource, In } from 'typeorm';
import {
  DUBAN_LAMP,
  DUBAN_PLAN,
  DUBAN_QUARTER,
  DUBAN_STATUS,
  DUBAN_TASK,
  DUBAN_UNITS,
  WORKFLOW_TYPE,
  taskQuarterWorkflowId,
  type QuarterNumber,
  type TaskQuarterInput,
} from '@duban/contracts';
import { quarterOpensAt, reportingDeadline } from '@duban/domain';
import { DomainError } from '@duban/errors';
import { PlanEntity, TaskQuarterEntity, UnitEntity } from '@duban/persistence';
import { TemporalClientService } from '@duban/temporal';
import { PlanQueryService } from './plan-query.service';

export interface ActivationResult {
  planId: string;
  fromQuarter: QuarterNumber;
  /** Task-quarters with a target from `fromQuarter` on. */
  taskQuarters: number;
  started: number;
  alreadyStarted: number;
}

/** How many workflow starts are in flight at once: enough to hide gRPC latency, not a flood. */
const START_CONCURRENCY = 16;

@Injectable()
export class PlanActivationService {
  private readonly logger = new Logger(PlanActivationService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly plans: PlanQueryService,
    private readonly temporal: TemporalClientService,
  ) {}

  /**
   * Starts one workflow per task-quarter that has a target. Workflow ids are derived from plan,
   * task and quarter and duplicates are rejected, so a second activation starts nothing — also
   * for task-quarters already closed (their projection row says so even after retention).
   */
  async activate(planId: string, fromQuarter: number = 1): Promise<ActivationResult> {
    if (!Number.isInteger(fromQuarter) || fromQuarter < 1 || fromQuarter > 4) {
      throw new DomainError(
        'INVALID_INPUT',
        `fromQuarter must be 1, 2, 3 or 4, got ${fromQuarter}`,
      );
    }
    const plan = await this.dataSource.getRepository(PlanEntity).findOneBy({ id: planId });
    if (!plan) throw new DomainError('NOT_FOUND', `plan ${planId} not found`);
    const inputs = await this.taskQuarterInputs(plan, fromQuarter as QuarterNumber);

    const known = new Set(
      (
        await this.dataSource
          .getRepository(TaskQuarterEntity)
          .find({ where: { id: In(inputs.map((i) => i.workflowId)) }, select: ['id'] })
      ).map((r) => r.id),
    );
    const client = await this.temporal.getClient();
    let started = 0;
    let alreadyStarted = known.size;
    const pending = inputs.filter((i) => !known.has(i.workflowId));
    for (let i = 0; i < pending.length; i += START_CONCURRENCY) {
      const batch = pending.slice(i, i + START_CONCURRENCY);
      const outcomes = await Promise.all(
        batch.map(async ({ workflowId, input }) => {
          try {
            await client.workflow.start(WORKFLOW_TYPE, {
              workflowId,
              taskQueue: this.temporal.settings.taskQueue,
              args: [input],
              workflowIdReusePolicy: 'REJECT_DUPLICATE',
              typedSearchAttributes: [
                { key: DUBAN_PLAN, value: input.planId },
                { key: DUBAN_TASK, value: input.taskCode },
                { key: DUBAN_QUARTER, value: input.quarter },
                { key: DUBAN_STATUS, value: 'not_open' },
                { key: DUBAN_LAMP, value: 'green' },
                { key: DUBAN_UNITS, value: input.units.map((u) => u.code) },
              ],
            });
            return 'started' as const;
          } catch (error) {
            if (error instanceof WorkflowExecutionAlreadyStartedError) return 'existing' as const;
            throw error;
          }
        }),
      );
      started += outcomes.filter((o) => o === 'started').length;
      alreadyStarted += outcomes.filter((o) => o === 'existing').length;
    }
    if (plan.status !== 'active') {
      await this.dataSource
        .getRepository(PlanEntity)
        .update({ id: planId }, { status: 'active', activatedAt: new Date() });
    }
    this.logger.log(
      `plan ${planId}: ${started} task-quarters started, ${alreadyStarted} already running`,
    );
    return {
      planId,
      fromQuarter: fromQuarter as QuarterNumber,
      taskQuarters: inputs.length,
      started,
      alreadyStarted,
    };
  }

  /** The workflow inputs of every task-quarter with a target, in the notice's order. */
  async taskQuarterInputs(
    plan: PlanEntity,
    fromQuarter: QuarterNumber = 1,
  ): Promise<Array<{ workflowId: string; input: TaskQuarterInput }>> {
    const tasks = await this.plans.tasksOf(plan.id);
    const units = new Map(
      (await this.dataSource.getRepository(UnitEntity).find()).map((u) => [u.code, u.name]),
    );
    const result: Array<{ workflowId: string; input: TaskQuarterInput }> = [];
    for (const task of tasks) {
      for (const target of task.targets ?? []) {
        const quarter = target.quarter as QuarterNumber;
        if (quarter < fromQuarter || target.text === null) continue;
        const input: TaskQuarterInput = {
          planId: plan.id,
          planTitle: plan.title,
          taskCode: task.code,
          taskName: task.name,
          goal: task.goal,
          cityLevel: task.cityLevel,
          quarter,
          year: plan.year,
          target: target.text,
          units: (task.responsibilities ?? []).map((r) => ({
            code: r.unitCode,
            name: units.get(r.unitCode) ?? r.unitCode,
            lead: r.role === 'lead',
          })),
          opensAt: quarterOpensAt(plan.year, quarter).toISOString(),
          deadline: reportingDeadline(plan.year, quarter).toISOString(),
          ladder: plan.ladder,
        };
        result.push({ workflowId: taskQuarterWorkflowId(plan.id, task.code, quarter), input });
      }
    }
    return result;
  }
}
