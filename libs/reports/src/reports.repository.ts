import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Lamp, Phase, ReportStatus, UnitStatus } from '@duban/contracts';
import { notFound } from '@duban/errors';
import {
  AuditEventEntity,
  CategoryEntity,
  DeadlineChangeEntity,
  DecisionEntity,
  PlanEntity,
  ReportVersionEntity,
  TaskEntity,
  TaskQuarterEntity,
  TaskQuarterUnitEntity,
} from '@duban/persistence';
import type { TaskQuarterRecord } from './timeline';

/** A plan's structure and the projection of its task-quarters: everything a report reads. */
export interface PlanReportData {
  plan: PlanEntity;
  categories: CategoryEntity[];
  /** In the notice's order, responsibilities by position, targets by quarter. */
  tasks: TaskEntity[];
  /** Task-quarters of the requested quarter (or all), keyed by task code and quarter. */
  records: TaskQuarterRecord[];
}

export const recordKey = (taskCode: string, quarter: number): string => `${taskCode}#Q${quarter}`;

/** Reads the plan and the Postgres projection; nothing here writes. */
@Injectable()
export class ReportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async load(planId: string, quarter?: number): Promise<PlanReportData> {
    const plan = await this.dataSource.getRepository(PlanEntity).findOneBy({ id: planId });
    if (!plan) throw notFound(`plan ${planId}`);
    const [categories, tasks, taskQuarters] = await Promise.all([
      this.dataSource
        .getRepository(CategoryEntity)
        .find({ where: { planId }, order: { number: 'ASC' } }),
      this.dataSource.getRepository(TaskEntity).find({
        where: { planId },
        relations: { responsibilities: true, targets: true },
        order: {
          position: 'ASC',
          responsibilities: { position: 'ASC' },
          targets: { quarter: 'ASC' },
        },
      }),
      this.dataSource
        .getRepository(TaskQuarterEntity)
        .find({ where: quarter === undefined ? { planId } : { planId, quarter } }),
    ]);
    const ids = taskQuarters.map((tq) => tq.id);
    if (ids.length === 0) return { plan, categories, tasks, records: [] };

    const byId = <T extends { taskQuarterId: string }>(rows: T[]): Map<string, T[]> => {
      const map = new Map<string, T[]>();
      for (const row of rows) {
        const list = map.get(row.taskQuarterId) ?? [];
        list.push(row);
        map.set(row.taskQuarterId, list);
      }
      return map;
    };
    const where = 'x.task_quarter_id = ANY(:ids)';
    const [units, reports, decisions, changes, events] = await Promise.all([
      this.dataSource
        .getRepository(TaskQuarterUnitEntity)
        .createQueryBuilder('x')
        .where(where, { ids })
        .getMany(),
      this.dataSource
        .getRepository(ReportVersionEntity)
        .createQueryBuilder('x')
        .where(where, { ids })
        .orderBy('x.version', 'ASC')
        .getMany(),
      this.dataSource
        .getRepository(DecisionEntity)
        .createQueryBuilder('x')
        .where(where, { ids })
        .orderBy('x.seq', 'ASC')
        .getMany(),
      this.dataSource
        .getRepository(DeadlineChangeEntity)
        .createQueryBuilder('x')
        .where(where, { ids })
        .orderBy('x.seq', 'ASC')
        .getMany(),
      // Only what the other tables lack: when the workflow started and each submission's seq.
      this.dataSource
        .getRepository(AuditEventEntity)
        .createQueryBuilder('x')
        .where(where, { ids })
        .andWhere('x.type IN (:...types)', { types: ['task_quarter_started', 'report_submitted'] })
        .orderBy('x.seq', 'ASC')
        .getMany(),
    ]);
    const [unitsOf, reportsOf, decisionsOf, changesOf, eventsOf] = [
      byId(units),
      byId(reports),
      byId(decisions),
      byId(changes),
      byId(events),
    ];
    const responsibleOrder = new Map(
      tasks.map((t) => [
        t.code,
        new Map((t.responsibilities ?? []).map((r) => [r.unitCode, r.position])),
      ]),
    );

    const records = taskQuarters.map((tq): TaskQuarterRecord => {
      const order = responsibleOrder.get(tq.taskCode);
      const unitRows = [...(unitsOf.get(tq.id) ?? [])].sort(
        (a, b) =>
          (order?.get(a.unitCode) ?? tq.unitCodes.indexOf(a.unitCode)) -
          (order?.get(b.unitCode) ?? tq.unitCodes.indexOf(b.unitCode)),
      );
      return {
        id: tq.id,
        taskCode: tq.taskCode,
        quarter: tq.quarter,
        phase: tq.phase as Phase,
        lamp: tq.lamp as Lamp,
        deadline: tq.deadline,
        opensAt: tq.opensAt,
        closedAt: tq.closedAt,
        units: unitRows.map((u) => ({
          code: u.unitCode,
          name: u.unitName,
          lead: u.lead,
          status: u.status as UnitStatus,
        })),
        reports: (reportsOf.get(tq.id) ?? []).map((r) => ({
          unitCode: r.unitCode,
          version: r.version,
          status: r.status as ReportStatus,
          summary: r.summary,
          explanation: r.explanation,
          submittedAt: r.submittedAt,
        })),
        decisions: (decisionsOf.get(tq.id) ?? []).map((d) => ({
          seq: d.seq,
          level: d.level === 'office' ? 'office' : 'head',
          decision: d.decision === 'approve' ? 'approve' : 'return',
          comment: d.comment,
          unitCodes: d.unitCodes,
          actorName: typeof d.actor.name === 'string' ? d.actor.name : '',
          decidedAt: d.decidedAt,
        })),
        deadlineChanges: (changesOf.get(tq.id) ?? []).map((c) => ({
          seq: c.seq,
          from: c.fromDeadline,
          to: c.toDeadline,
          changedAt: c.changedAt,
        })),
        events: (eventsOf.get(tq.id) ?? []).map((e) => ({
          seq: e.seq,
          type: e.type,
          detail: e.detail,
          occurredAt: e.occurredAt,
        })),
      };
    });
    return { plan, categories, tasks, records };
  }
}
