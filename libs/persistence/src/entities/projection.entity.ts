import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The Postgres projection of task-quarter workflows. Rows are written only by the worker's
 * projection activity, keyed so that a retried activity writes nothing twice; `seq` is the
 * workflow's last audit event so an older snapshot never overwrites a newer one.
 */
@Entity({ name: 'task_quarter' })
@Index(['planId', 'quarter'])
export class TaskQuarterEntity {
  /** The workflow id, `tq:2017-jianghai:36.1:Q2`. */
  @PrimaryColumn({ type: 'varchar', length: 128 })
  id!: string;

  @Column({ name: 'plan_id', type: 'varchar', length: 64 })
  planId!: string;

  @Column({ name: 'task_code', type: 'varchar', length: 16 })
  taskCode!: string;

  @Column({ type: 'int' })
  quarter!: number;

  @Column({ type: 'varchar', length: 32 })
  phase!: string;

  @Column({ type: 'varchar', length: 16 })
  lamp!: string;

  @Column({ type: 'timestamptz' })
  deadline!: Date;

  @Column({ name: 'opens_at', type: 'timestamptz' })
  opensAt!: Date;

  @Column({ name: 'escalation_level', type: 'int', default: 0 })
  escalationLevel!: number;

  @Column({ name: 'unit_codes', type: 'varchar', array: true })
  unitCodes!: string[];

  @Column({ name: 'target_text', type: 'text', nullable: true })
  targetText!: string | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ type: 'int' })
  seq!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** Where each responsible unit stands in a task-quarter. */
@Entity({ name: 'task_quarter_unit' })
@Index(['unitCode', 'status'])
export class TaskQuarterUnitEntity {
  @PrimaryColumn({ name: 'task_quarter_id', type: 'varchar', length: 128 })
  taskQuarterId!: string;

  @PrimaryColumn({ name: 'unit_code', type: 'varchar', length: 64 })
  unitCode!: string;

  @Column({ name: 'unit_name', type: 'varchar', length: 128 })
  unitName!: string;

  @Column({ type: 'boolean' })
  lead!: boolean;

  @Column({ type: 'varchar', length: 32 })
  status!: string;

  @Column({ name: 'latest_version', type: 'int', default: 0 })
  latestVersion!: number;

  /** Since when the unit's current report has waited for its head (reminders, inbox order). */
  @Column({ name: 'waiting_since', type: 'timestamptz', nullable: true })
  waitingSince!: Date | null;
}

/** Every version of every progress report. */
@Entity({ name: 'report_version' })
export class ReportVersionEntity {
  @PrimaryColumn({ name: 'task_quarter_id', type: 'varchar', length: 128 })
  taskQuarterId!: string;

  @PrimaryColumn({ name: 'unit_code', type: 'varchar', length: 64 })
  unitCode!: string;

  @PrimaryColumn({ type: 'int' })
  version!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ type: 'text' })
  summary!: string;

  @Column({ type: 'text', nullable: true })
  explanation!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  figures!: Record<string, number | string> | null;

  @Column({ name: 'submitted_by', type: 'jsonb' })
  submittedBy!: Record<string, unknown>;

  @Column({ name: 'submitted_at', type: 'timestamptz' })
  submittedAt!: Date;
}

/** A unit head's or the office's decision. */
@Entity({ name: 'decision' })
export class DecisionEntity {
  @PrimaryColumn({ name: 'task_quarter_id', type: 'varchar', length: 128 })
  taskQuarterId!: string;

  /** The audit event sequence number of the decision within its task-quarter. */
  @PrimaryColumn({ type: 'int' })
  seq!: number;

  /** `head` or `office`. */
  @Column({ type: 'varchar', length: 8 })
  level!: string;

  @Column({ type: 'varchar', length: 8 })
  decision!: string;

  @Column({ type: 'text' })
  comment!: string;

  /** The unit decided on (head) or the units returned to (office). */
  @Column({ name: 'unit_codes', type: 'varchar', array: true })
  unitCodes!: string[];

  @Column({ type: 'jsonb' })
  actor!: Record<string, unknown>;

  @Column({ name: 'decided_at', type: 'timestamptz' })
  decidedAt!: Date;
}

@Entity({ name: 'deadline_change' })
export class DeadlineChangeEntity {
  @PrimaryColumn({ name: 'task_quarter_id', type: 'varchar', length: 128 })
  taskQuarterId!: string;

  @PrimaryColumn({ type: 'int' })
  seq!: number;

  @Column({ name: 'from_deadline', type: 'timestamptz' })
  fromDeadline!: Date;

  @Column({ name: 'to_deadline', type: 'timestamptz' })
  toDeadline!: Date;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'jsonb' })
  actor!: Record<string, unknown>;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;
}

/** Warnings, overdue notices, escalations and reminders; the key makes each exactly-once. */
@Entity({ name: 'notice' })
@Index(['taskQuarterId'])
export class NoticeEntity {
  @PrimaryColumn({ type: 'varchar', length: 256 })
  key!: string;

  @Column({ name: 'task_quarter_id', type: 'varchar', length: 128 })
  taskQuarterId!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  @Column({ type: 'jsonb' })
  recipients!: Array<{ role: string; unitCode: string | null }>;

  @Column({ type: 'jsonb' })
  lagging!: Array<{ unitCode: string; unitName: string; owes: string }>;

  @Column({ type: 'varchar', length: 256 })
  title!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** One row per recorded workflow event: who did what, when. */
@Entity({ name: 'audit_event' })
export class AuditEventEntity {
  @PrimaryColumn({ name: 'task_quarter_id', type: 'varchar', length: 128 })
  taskQuarterId!: string;

  @PrimaryColumn({ type: 'int' })
  seq!: number;

  @Column({ type: 'varchar', length: 48 })
  type!: string;

  @Column({ type: 'jsonb', nullable: true })
  actor!: Record<string, unknown> | null;

  @Column({ type: 'jsonb' })
  detail!: Record<string, unknown>;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;
}
