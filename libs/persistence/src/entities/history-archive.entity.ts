import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A closed task-quarter's run history, kept in Postgres so replay still works after the Temporal
 * namespace's retention has deleted it. `history` is the JSON the temporal CLI writes; `sha256`
 * is taken over exactly that text.
 */
@Entity({ name: 'history_archive' })
@Index(['planId'])
export class HistoryArchiveEntity {
  @PrimaryColumn({ name: 'workflow_id', type: 'varchar', length: 128 })
  workflowId!: string;

  @PrimaryColumn({ name: 'run_id', type: 'varchar', length: 64 })
  runId!: string;

  /** Position of the run in its continue-as-new chain, 0 for the first. */
  @Column({ name: 'run_index', type: 'int' })
  runIndex!: number;

  @Column({ name: 'plan_id', type: 'varchar', length: 64 })
  planId!: string;

  @Column({ type: 'text' })
  history!: string;

  @Column({ type: 'varchar', length: 64 })
  sha256!: string;

  @Column({ name: 'event_count', type: 'int' })
  eventCount!: number;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'archived_at', type: 'timestamptz' })
  archivedAt!: Date;
}
