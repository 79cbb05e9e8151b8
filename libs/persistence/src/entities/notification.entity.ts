import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';

export type NotificationChannel = 'in_app' | 'email' | 'webhook';
export type DeliveryState = 'pending' | 'sending' | 'sent' | 'failed' | 'read';
export const DELIVERY_STATES: readonly DeliveryState[] = [
  'pending',
  'sending',
  'sent',
  'failed',
  'read',
];

/** What a delivery says, copied from the workflow's notice so the dispatcher needs no joins. */
export interface DeliveryPayload {
  taskCode: string;
  taskName: string;
  quarter: number;
  year: number;
  deadline: string;
  lagging: Array<{ unitCode: string; unitName: string; owes: string }>;
  title: string;
  body: string;
}

/**
 * The outbox: one row per notice × recipient user × channel, created in the projection's
 * transaction together with the notice. The dispatcher claims due rows under a lease
 * (`claim_token`, `lease_until`); `batch_id` is fixed at the first claim and names the message
 * (Message-ID / Idempotency-Key), so a retried or re-claimed batch carries the same id.
 */
@Entity({ name: 'notification_delivery' })
@Unique(['noticeKey', 'userId', 'channel'])
@Index(['state', 'nextAttemptAt'])
@Index(['userId', 'channel'])
export class NotificationDeliveryEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'notice_key', type: 'varchar', length: 256 })
  noticeKey!: string;

  @Column({ name: 'task_quarter_id', type: 'varchar', length: 128 })
  taskQuarterId!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'varchar', length: 16 })
  channel!: NotificationChannel;

  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: DeliveryState;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt!: Date;

  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil!: Date | null;

  @Column({ name: 'claim_token', type: 'uuid', nullable: true })
  claimToken!: string | null;

  @Column({ name: 'batch_id', type: 'uuid', nullable: true })
  batchId!: string | null;

  /** The address the last attempt went to (e-mail address or webhook URL). */
  @Column({ type: 'varchar', length: 512, nullable: true })
  address!: string | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ type: 'jsonb' })
  payload!: DeliveryPayload;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt!: Date | null;
}

/** A user's own contact details and channel choices; absent row = defaults (all channels on). */
@Entity({ name: 'notification_preference' })
export class NotificationPreferenceEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'email_enabled', type: 'boolean', default: true })
  emailEnabled!: boolean;

  @Column({ name: 'webhook_enabled', type: 'boolean', default: true })
  webhookEnabled!: boolean;

  /** Overrides the unit's webhook for this user. */
  @Column({ name: 'webhook_url', type: 'varchar', length: 512, nullable: true })
  webhookUrl!: string | null;
}

/** A unit's webhook (its relay into the messaging tool it uses); the unit's e-mail is on `unit`. */
@Entity({ name: 'unit_contact' })
export class UnitContactEntity {
  @PrimaryColumn({ name: 'unit_code', type: 'varchar', length: 64 })
  unitCode!: string;

  @Column({ name: 'webhook_url', type: 'varchar', length: 512, nullable: true })
  webhookUrl!: string | null;
}
