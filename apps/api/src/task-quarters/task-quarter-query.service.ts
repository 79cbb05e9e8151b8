import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkflowNotFoundError } from '@temporalio/common';
import { DataSource, In } from 'typeorm';
import {
  getStateQuery,
  parseTaskQuarterWorkflowId,
  type Actor,
  type TaskQuarterState,
} from '@duban/contracts';
import {
  DeadlineChangeEntity,
  DecisionEntity,
  NoticeEntity,
  QuarterlyTargetEntity,
  ReportVersionEntity,
  TaskEntity,
  TaskQuarterEntity,
  TaskQuarterUnitEntity,
} from '@duban/persistence';
import { PlanQueryService } from '@duban/plans';
import { TemporalClientService } from '@duban/temporal';
import type { Page } from '../plans/dto/pagination.dto';
import type {
  ActorDto,
  NoticeDto,
  TargetDto,
  TaskQuarterDetailDto,
  TaskQuarterListQueryDto,
  TaskQuarterSummaryDto,
  UnitSummaryDto,
} from './dto/task-quarter.dto';
import { SqlFilter } from './sql-filter';

interface SummaryRow {
  id: string;
  plan_id: string;
  task_code: string;
  quarter: number;
  phase: string;
  lamp: string;
  deadline: Date;
  target_text: string | null;
  escalation_level: number;
  name: string;
  category: number;
  city_level: boolean;
  total: string;
}

/** Reads task-quarters from the Postgres projection joined with the plan's task rows. */
@Injectable()
export class TaskQuarterQueryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly plans: PlanQueryService,
    private readonly temporal: TemporalClientService,
  ) {}

  async listForPlan(
    planId: string,
    query: TaskQuarterListQueryDto,
  ): Promise<Page<TaskQuarterSummaryDto>> {
    await this.plans.get(planId); // 404 for an unknown plan
    const filter = new SqlFilter().and('tq.plan_id = ?', planId);
    if (query.quarter !== undefined) filter.and('tq.quarter = ?', query.quarter);
    if (query.unit !== undefined) filter.and('? = ANY(tq.unit_codes)', query.unit);
    if (query.lamp !== undefined) filter.and('tq.lamp = ?', query.lamp);
    if (query.cityLevel !== undefined) filter.and('t.city_level = ?', query.cityLevel === 'true');
    if (query.category !== undefined) filter.and('t.category = ?', query.category);
    return this.page(filter, query.page, query.pageSize);
  }

  /** One page of task-quarters matching `filter` (columns `tq.` task_quarter, `t.` task). */
  async page(
    filter: SqlFilter,
    page: number,
    pageSize: number,
  ): Promise<Page<TaskQuarterSummaryDto>> {
    const limit = filter.param(pageSize);
    const offset = filter.param((page - 1) * pageSize);
    const rows = await this.dataSource.query<SummaryRow[]>(
      `SELECT tq.id, tq.plan_id, tq.task_code, tq.quarter, tq.phase, tq.lamp, tq.deadline,
              tq.target_text, tq.escalation_level, t.name, t.category, t.city_level,
              count(*) OVER () AS total
         FROM task_quarter tq
         JOIN task t ON t.plan_id = tq.plan_id AND t.code = tq.task_code
         ${filter.where}
        ORDER BY tq.plan_id, tq.quarter, t.position
        LIMIT ${limit} OFFSET ${offset}`,
      filter.params,
    );
    const units = await this.unitsOf(rows.map((r) => r.id));
    const items = rows.map((r): TaskQuarterSummaryDto => ({
      id: r.id,
      planId: r.plan_id,
      taskCode: r.task_code,
      taskName: r.name,
      category: r.category,
      cityLevel: r.city_level,
      quarter: r.quarter,
      phase: r.phase,
      lamp: r.lamp,
      deadline: r.deadline.toISOString(),
      target: r.target_text,
      escalationLevel: r.escalation_level,
      units: units.get(r.id) ?? [],
    }));
    // The window count is absent when the page is past the end; count separately then.
    const total = rows.length > 0 ? Number(rows[0].total) : await this.count(filter);
    return { items, total, page, pageSize };
  }

  async get(id: string): Promise<TaskQuarterDetailDto> {
    const key = parseTaskQuarterWorkflowId(id);
    if (!key) throw new NotFoundException(`任务季度 ${id} 不存在`);
    const row = await this.dataSource.getRepository(TaskQuarterEntity).findOneBy({ id });
    const task = await this.dataSource
      .getRepository(TaskEntity)
      .findOne({ where: { planId: key.planId, code: key.taskCode }, relations: { targets: true } });
    const targets: TargetDto[] = (task?.targets ?? [])
      .sort((a, b) => a.quarter - b.quarter)
      .map((t: QuarterlyTargetEntity) => ({
        quarter: t.quarter,
        text: t.text,
        inferred: t.inferred,
        span: t.span,
      }));
    if (row) return this.fromProjection(row, task, targets);
    const state = await this.queryWorkflow(id);
    if (!state) throw new NotFoundException(`任务季度 ${id} 不存在`);
    return fromWorkflowState(state, task, targets);
  }

  private async fromProjection(
    row: TaskQuarterEntity,
    task: TaskEntity | null,
    targets: TargetDto[],
  ): Promise<TaskQuarterDetailDto> {
    const id = row.id;
    const [units, reports, decisions, deadlines, notices] = await Promise.all([
      this.dataSource.getRepository(TaskQuarterUnitEntity).findBy({ taskQuarterId: id }),
      this.dataSource
        .getRepository(ReportVersionEntity)
        .find({ where: { taskQuarterId: id }, order: { unitCode: 'ASC', version: 'ASC' } }),
      this.dataSource
        .getRepository(DecisionEntity)
        .find({ where: { taskQuarterId: id }, order: { seq: 'ASC' } }),
      this.dataSource
        .getRepository(DeadlineChangeEntity)
        .find({ where: { taskQuarterId: id }, order: { seq: 'ASC' } }),
      this.dataSource
        .getRepository(NoticeEntity)
        .find({ where: { taskQuarterId: id }, order: { createdAt: 'ASC', key: 'ASC' } }),
    ]);
    const unitOrder = new Map(row.unitCodes.map((code, i) => [code, i]));
    units.sort((a, b) => (unitOrder.get(a.unitCode) ?? 0) - (unitOrder.get(b.unitCode) ?? 0));
    return {
      id,
      planId: row.planId,
      taskCode: row.taskCode,
      taskName: task?.name ?? '',
      goal: task?.goal ?? '',
      category: task?.category ?? 0,
      cityLevel: task?.cityLevel ?? false,
      quarter: row.quarter,
      phase: row.phase,
      lamp: row.lamp,
      opensAt: row.opensAt.toISOString(),
      deadline: row.deadline.toISOString(),
      closedAt: row.closedAt?.toISOString() ?? null,
      escalationLevel: row.escalationLevel,
      target: row.targetText,
      targets,
      units: units.map((u) => ({
        ...unitSummary(u),
        reports: reports
          .filter((r) => r.unitCode === u.unitCode)
          .map((r) => ({
            version: r.version,
            status: r.status,
            summary: r.summary,
            explanation: r.explanation,
            figures: r.figures,
            submittedBy: actorOf(r.submittedBy),
            submittedAt: r.submittedAt.toISOString(),
          })),
      })),
      decisions: decisions.map((d) => ({
        seq: d.seq,
        level: d.level,
        decision: d.decision,
        comment: d.comment,
        units: d.unitCodes,
        actor: actorOf(d.actor),
        at: d.decidedAt.toISOString(),
      })),
      deadlineHistory: deadlines.map((c) => ({
        seq: c.seq,
        from: c.fromDeadline.toISOString(),
        to: c.toDeadline.toISOString(),
        reason: c.reason,
        actor: actorOf(c.actor),
        at: c.changedAt.toISOString(),
      })),
      notices: notices.map(noticeView),
      source: 'projection',
      seq: row.seq,
    };
  }

  /** Live state for a task-quarter the projection has not caught up with yet; null if unknown. */
  private async queryWorkflow(id: string): Promise<TaskQuarterState | null> {
    const client = await this.temporal.getClient();
    try {
      return await client.workflow.getHandle(id).query(getStateQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
  }

  private async unitsOf(ids: string[]): Promise<Map<string, UnitSummaryDto[]>> {
    const byId = new Map<string, UnitSummaryDto[]>();
    if (ids.length === 0) return byId;
    const units = await this.dataSource
      .getRepository(TaskQuarterUnitEntity)
      .find({ where: { taskQuarterId: In(ids) }, order: { lead: 'DESC', unitCode: 'ASC' } });
    for (const u of units) {
      const list = byId.get(u.taskQuarterId) ?? [];
      list.push(unitSummary(u));
      byId.set(u.taskQuarterId, list);
    }
    return byId;
  }

  private async count(filter: SqlFilter): Promise<number> {
    // The last two parameters are LIMIT and OFFSET; the clauses use only the ones before.
    const params = filter.params.slice(0, -2);
    const [{ total }] = await this.dataSource.query<Array<{ total: string }>>(
      `SELECT count(*) AS total FROM task_quarter tq
         JOIN task t ON t.plan_id = tq.plan_id AND t.code = tq.task_code ${filter.where}`,
      params,
    );
    return Number(total);
  }
}

function unitSummary(u: TaskQuarterUnitEntity): UnitSummaryDto {
  return {
    code: u.unitCode,
    name: u.unitName,
    lead: u.lead,
    status: u.status,
    latestVersion: u.latestVersion,
    waitingSince: u.waitingSince?.toISOString() ?? null,
  };
}

export function noticeView(n: NoticeEntity): NoticeDto {
  return {
    key: n.key,
    taskQuarterId: n.taskQuarterId,
    kind: n.kind,
    title: n.title,
    body: n.body,
    recipients: n.recipients,
    lagging: n.lagging,
    createdAt: n.createdAt.toISOString(),
  };
}

function actorOf(value: Record<string, unknown> | Actor): ActorDto {
  const v = value as Partial<Actor>;
  return {
    id: v.id ?? '',
    name: v.name ?? '',
    role: v.role ?? 'staff',
    unitCode: v.unitCode ?? null,
  };
}

/** The same view built from the workflow's own state (`getState` query). */
export function fromWorkflowState(
  state: TaskQuarterState,
  task: TaskEntity | null,
  targets: TargetDto[],
): TaskQuarterDetailDto {
  const f = state.facts;
  return {
    id: state.workflowId,
    planId: f.planId,
    taskCode: f.taskCode,
    taskName: f.taskName,
    goal: f.goal,
    category: task?.category ?? 0,
    cityLevel: f.cityLevel,
    quarter: f.quarter,
    phase: state.phase,
    lamp: state.lamp,
    opensAt: f.opensAt,
    deadline: state.deadline,
    closedAt: state.closedAt,
    escalationLevel: state.escalationLevel,
    target: f.target,
    targets,
    units: state.units.map((u) => ({
      code: u.code,
      name: u.name,
      lead: u.lead,
      status: u.status,
      latestVersion: u.latestVersion,
      waitingSince: u.waitingSince,
      reports: u.reports.map((r) => ({
        version: r.version,
        status: r.status,
        summary: r.summary,
        explanation: r.explanation,
        figures: r.figures,
        submittedBy: actorOf(r.submittedBy),
        submittedAt: r.submittedAt,
      })),
    })),
    decisions: state.decisions.map((d) => ({
      seq: d.seq,
      level: d.level,
      decision: d.decision,
      comment: d.comment,
      units: d.units,
      actor: actorOf(d.actor),
      at: d.at,
    })),
    deadlineHistory: state.deadlineHistory.map((c) => ({
      seq: c.seq,
      from: c.from,
      to: c.to,
      reason: c.reason,
      actor: actorOf(c.actor),
      at: c.at,
    })),
    notices: state.notices.map((n) => ({
      key: n.key,
      taskQuarterId: n.workflowId,
      kind: n.kind,
      title: n.title,
      body: n.body,
      recipients: n.recipients,
      lagging: n.lagging,
      createdAt: n.createdAt,
    })),
    source: 'workflow',
    seq: state.seq,
  };
}
