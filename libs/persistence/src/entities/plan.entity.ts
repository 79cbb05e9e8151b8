import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';

export type PlanStatus = 'imported' | 'active';

export interface LadderSettings {
  warningDaysBefore: number[];
  overdueEscalationAfterDays: number;
  escalationRepeatDays: number;
  headReminderAfterDays: number;
  officeReminderAfterDays: number;
}

@Entity({ name: 'plan' })
@Index(['docNumber', 'year'], { unique: true })
export class PlanEntity {
  /** `2017-jianghai`: year and district; part of every task-quarter workflow id. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ name: 'doc_number', type: 'varchar', length: 64 })
  docNumber!: string;

  @Column({ type: 'varchar', length: 256 })
  title!: string;

  /** The plan's year; differs from `sourceYear` when imported with `--year`. */
  @Column({ type: 'int' })
  year!: number;

  @Column({ name: 'source_year', type: 'int' })
  sourceYear!: number;

  @Column({ name: 'issued_on', type: 'date' })
  issuedOn!: string;

  @Column({ name: 'report_to', type: 'varchar', length: 64 })
  reportTo!: string;

  @Column({ type: 'jsonb' })
  issuers!: string[];

  @Column({ type: 'varchar', length: 16, default: 'imported' })
  status!: PlanStatus;

  @Column({ type: 'jsonb' })
  ladder!: LadderSettings;

  /** SHA-256 of the decoded document text: importing the same notice twice changes nothing. */
  @Column({ name: 'document_sha256', type: 'char', length: 64 })
  documentSha256!: string;

  @CreateDateColumn({ name: 'imported_at', type: 'timestamptz' })
  importedAt!: Date;

  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt!: Date | null;

  @OneToMany(() => CategoryEntity, (c) => c.plan)
  categories?: CategoryEntity[];

  @OneToMany(() => TaskEntity, (t) => t.plan)
  tasks?: TaskEntity[];
}

@Entity({ name: 'category' })
@Index(['planId', 'number'], { unique: true })
export class CategoryEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'plan_id', type: 'varchar', length: 64 })
  planId!: string;

  @ManyToOne(() => PlanEntity, (p) => p.categories, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'plan_id' })
  plan?: PlanEntity;

  @Column({ type: 'int' })
  number!: number;

  @Column({ type: 'varchar', length: 128 })
  title!: string;

  @Column({ name: 'declared_count', type: 'int' })
  declaredCount!: number;
}

@Entity({ name: 'task' })
@Index(['planId', 'code'], { unique: true })
export class TaskEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'plan_id', type: 'varchar', length: 64 })
  planId!: string;

  @ManyToOne(() => PlanEntity, (p) => p.tasks, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'plan_id' })
  plan?: PlanEntity;

  /** `14.2` for a sub-item row, `29` for a single-row item. */
  @Column({ type: 'varchar', length: 16 })
  code!: string;

  @Column({ type: 'int' })
  item!: number;

  @Column({ type: 'int' })
  category!: number;

  @Column({ type: 'varchar', length: 256 })
  name!: string;

  @Column({ type: 'text' })
  goal!: string;

  @Column({ name: 'city_level', type: 'boolean' })
  cityLevel!: boolean;

  /** Position in the notice, so lists keep the document's order. */
  @Column({ type: 'int' })
  position!: number;

  @OneToMany(() => TaskResponsibilityEntity, (r) => r.task)
  responsibilities?: TaskResponsibilityEntity[];

  @OneToMany(() => QuarterlyTargetEntity, (t) => t.task)
  targets?: QuarterlyTargetEntity[];
}

export type ResponsibilityRole = 'lead' | 'co';

/** One responsible unit of a task after collectives are expanded. */
@Entity({ name: 'task_responsibility' })
export class TaskResponsibilityEntity {
  @PrimaryColumn({ name: 'task_id', type: 'int' })
  taskId!: number;

  @PrimaryColumn({ name: 'unit_code', type: 'varchar', length: 64 })
  unitCode!: string;

  @ManyToOne(() => TaskEntity, (t) => t.responsibilities, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'task_id' })
  task?: TaskEntity;

  @Column({ type: 'varchar', length: 8 })
  role!: ResponsibilityRole;

  /** The name as written in the notice (a collective name for expanded members). */
  @Column({ name: 'written_as', type: 'varchar', length: 128 })
  writtenAs!: string;

  @Column({ type: 'int' })
  position!: number;
}

@Entity({ name: 'quarterly_target' })
export class QuarterlyTargetEntity {
  @PrimaryColumn({ name: 'task_id', type: 'int' })
  taskId!: number;

  @PrimaryColumn({ type: 'int' })
  quarter!: number;

  @ManyToOne(() => TaskEntity, (t) => t.targets, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'task_id' })
  task?: TaskEntity;

  /** Null when the quarter has no target (`/`, or an empty merged span). */
  @Column({ type: 'text', nullable: true })
  text!: string | null;

  /** True when the quarter came from a merged cell whose spread was inferred. */
  @Column({ type: 'boolean' })
  inferred!: boolean;

  /** The quarters of the cell this target came from, e.g. [3, 4]. */
  @Column({ name: 'span', type: 'int', array: true })
  span!: number[];
}
