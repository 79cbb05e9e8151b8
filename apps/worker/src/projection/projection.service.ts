import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { TaskQuarterSnapshot } from '@duban/contracts';
import {
  AuditEventEntity,
  DeadlineChangeEntity,
  DecisionEntity,
  NoticeEntity,
  ReportVersionEntity,
  TaskQuarterEntity,
  TaskQuarterUnitEntity,
} from '@duban/persistence';
import { enqueueDeliveries, NotificationSettings } from '@duban/notifications';

/**
 * Projects a task-quarter workflow's state into Postgres. Idempotent by construction: immutable
 * facts (report versions, decisions, deadline changes, notices, audit events) are inserted with
 * ON CONFLICT DO NOTHING on their natural keys, and the mutable rows (the task-quarter and its
 * units) are only overwritten by a snapshot at least as new as the stored one (`seq`). A retried
 * or reordered activity therefore writes nothing twice and never moves the projection backwards.
 */
@Injectable()
export class ProjectionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    // The notices' deliveries commit with the notices (the outbox); absent, only notices are kept.
    @Optional() private readonly notifications?: NotificationSettings,
  ) {}

  async record(snapshot: TaskQuarterSnapshot): Promise<'applied' | 'stale'> {
    return this.dataSource.transaction(async (tx) => {
      // Serialise snapshots of one task-quarter: the row lock makes the seq check race-free.
      const current = await tx
        .getRepository(TaskQuarterEntity)
        .createQueryBuilder('tq')
        .setLock('pessimistic_write')
        .where('tq.id = :id', { id: snapshot.workflowId })
        .getOne();
      await this.insertFacts(tx, snapshot);
      if (this.notifications) await enqueueDeliveries(tx, snapshot.notices, this.notifications);
      if (current && current.seq > snapshot.seq) return 'stale';
      await this.upsertState(tx, snapshot);
      return 'applied';
    });
  }

  private async insertFacts(tx: EntityManager, s: TaskQuarterSnapshot): Promise<void> {
    const id = s.workflowId;
    const reports = s.units.flatMap((u) =>
      u.reports.map((r) => ({
        taskQuarterId: id,
        unitCode: u.code,
        version: r.version,
        status: r.status,
        summary: r.summary,
        explanation: r.explanation,
        figures: r.figures,
        submittedBy: { ...r.submittedBy },
        submittedAt: new Date(r.submittedAt),
      })),
    );
    await insertIgnoring(tx, ReportVersionEntity, reports);
    await insertIgnoring(
      tx,
      DecisionEntity,
      s.decisions.map((d) => ({
        taskQuarterId: id,
        seq: d.seq,
        level: d.level,
        decision: d.decision,
        comment: d.comment,
        unitCodes: d.units,
        actor: { ...d.actor },
        decidedAt: new Date(d.at),
      })),
    );
    await insertIgnoring(
      tx,
      DeadlineChangeEntity,
      s.deadlineHistory.map((c) => ({
        taskQuarterId: id,
        seq: c.seq,
        fromDeadline: new Date(c.from),
        toDeadline: new Date(c.to),
        reason: c.reason,
        actor: { ...c.actor },
        changedAt: new Date(c.at),
      })),
    );
    await insertIgnoring(
      tx,
      NoticeEntity,
      s.notices.map((n) => ({
        key: n.key,
        taskQuarterId: id,
        kind: n.kind,
        recipients: n.recipients,
        lagging: n.lagging,
        title: n.title,
        body: n.body,
        createdAt: new Date(n.createdAt),
      })),
    );
    await insertIgnoring(
      tx,
      AuditEventEntity,
      s.events.map((e) => ({
        taskQuarterId: id,
        seq: e.seq,
        type: e.type,
        actor: e.actor ? { ...e.actor } : null,
        detail: e.detail,
        occurredAt: new Date(e.at),
      })),
    );
  }

  private async upsertState(tx: EntityManager, s: TaskQuarterSnapshot): Promise<void> {
    await tx.getRepository(TaskQuarterEntity).upsert(
      {
        id: s.workflowId,
        planId: s.facts.planId,
        taskCode: s.facts.taskCode,
        quarter: s.facts.quarter,
        phase: s.phase,
        lamp: s.lamp,
        deadline: new Date(s.deadline),
        opensAt: new Date(s.facts.opensAt),
        escalationLevel: s.escalationLevel,
        unitCodes: s.units.map((u) => u.code),
        targetText: s.facts.target,
        closedAt: s.closedAt ? new Date(s.closedAt) : null,
        seq: s.seq,
        updatedAt: new Date(s.recordedAt),
      },
      ['id'],
    );
    await tx.getRepository(TaskQuarterUnitEntity).upsert(
      s.units.map((u) => ({
        taskQuarterId: s.workflowId,
        unitCode: u.code,
        unitName: u.name,
        lead: u.lead,
        status: u.status,
        latestVersion: u.latestVersion,
        waitingSince: u.waitingSince ? new Date(u.waitingSince) : null,
      })),
      ['taskQuarterId', 'unitCode'],
    );
  }
}

async function insertIgnoring<T extends object>(
  tx: EntityManager,
  entity: new () => T,
  rows: Array<Partial<T>>,
): Promise<void> {
  if (rows.length === 0) return;
  // Postgres caps bind parameters at 65535; chunks keep a long history well below that.
  for (let i = 0; i < rows.length; i += 500) {
    await tx
      .createQueryBuilder()
      .insert()
      .into(entity)
      .values(rows.slice(i, i + 500) as never)
      .orIgnore()
      .execute();
  }
}
