import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { resolveAddress } from '@duban/notifications';
import type { NotificationChannel } from '@duban/persistence';
import type { DeliveryDto, DeliveryListQueryDto, DeliveryPageDto } from './dto/notices.dto';

interface DeliveryRow {
  id: string;
  notice_key: string;
  task_quarter_id: string;
  title: string;
  kind: string;
  channel: string;
  state: string;
  user_id: string;
  username: string;
  address: string | null;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  sent_at: Date | null;
  read_at: Date | null;
  created_at: Date;
}

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

function view(r: DeliveryRow): DeliveryDto {
  return {
    id: r.id,
    noticeKey: r.notice_key,
    taskQuarterId: r.task_quarter_id,
    title: r.title,
    kind: r.kind,
    channel: r.channel,
    state: r.state,
    userId: r.user_id,
    username: r.username,
    address: r.address,
    attempts: r.attempts,
    nextAttemptAt: iso(r.next_attempt_at),
    lastError: r.last_error,
    sentAt: iso(r.sent_at),
    readAt: iso(r.read_at),
    createdAt: iso(r.created_at)!,
  };
}

const SELECT = `SELECT d.id, d.notice_key, d.task_quarter_id, d.payload->>'title' AS title, d.kind,
  d.channel, d.state, d.user_id, u.username, d.address, d.attempts, d.next_attempt_at,
  d.last_error, d.sent_at, d.read_at, d.created_at
  FROM notification_delivery d JOIN app_user u ON u.id = d.user_id`;

/** The office's view of the outbox: every delivery with its state, and resending one. */
@Injectable()
export class DeliveriesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(query: DeliveryListQueryDto): Promise<DeliveryPageDto> {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [column, value] of [
      ['d.state', query.state],
      ['d.channel', query.channel],
      ['d.task_quarter_id', query.taskQuarterId],
    ] as const) {
      if (value) {
        params.push(value);
        where.push(`${column} = $${params.length}`);
      }
    }
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }]: Array<{ total: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM notification_delivery d ${filter}`,
      params,
    );
    const rows: DeliveryRow[] = await this.dataSource.query(
      `${SELECT} ${filter} ORDER BY d.created_at DESC, d.id
       LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.pageSize, (query.page - 1) * query.pageSize],
    );
    return { items: rows.map(view), total, page: query.page, pageSize: query.pageSize };
  }

  /**
   * Queues a delivery again now, with a fresh attempt count, a fresh message id (it is a new
   * message on purpose) and the recipient's current address, so fixing a contact then resending
   * works. In-app deliveries are not sent by the dispatcher and cannot be resent.
   */
  async resend(id: string): Promise<DeliveryDto> {
    return this.dataSource.transaction(async (tx) => {
      const [row]: Array<{ user_id: string; channel: NotificationChannel }> = await tx.query(
        'SELECT user_id, channel FROM notification_delivery WHERE id = $1 FOR UPDATE',
        [id],
      );
      if (!row) throw new NotFoundException('没有这条投递记录');
      if (row.channel === 'in_app') throw new NotFoundException('站内通知无需重发');
      const address = await resolveAddress(tx, row.user_id, row.channel);
      await tx.query(
        `UPDATE notification_delivery
         SET state = 'pending', attempts = 0, next_attempt_at = now(), batch_id = NULL,
             claim_token = NULL, lease_until = NULL, last_error = NULL, address = COALESCE($2, address)
         WHERE id = $1`,
        [id, address],
      );
      const [updated]: DeliveryRow[] = await tx.query(`${SELECT} WHERE d.id = $1`, [id]);
      return view(updated);
    });
  }
}
