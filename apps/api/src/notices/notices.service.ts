import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { NoticeEntity } from '@duban/persistence';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { noticeView } from '../task-quarters/task-quarter-query.service';
import type { NoticeInboxPageDto, NoticeListQueryDto } from './dto/notices.dto';

/** The recipient a caller matches in a notice's `recipients` (jsonb containment). */
export function recipientFilter(user: Pick<AuthenticatedUser, 'role' | 'unitCode'>): object | null {
  switch (user.role) {
    case 'staff':
    case 'head':
      return [{ role: user.role, unitCode: user.unitCode }];
    case 'office':
    case 'leader':
      return [{ role: user.role }];
    default:
      // Auditors and administrators read every notice.
      return null;
  }
}

@Injectable()
export class NoticesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The caller's notices, unread first (a notice is unread while the caller's in-app delivery of
   * it has no read_at), then newest first; with the caller's unread count.
   */
  async list(user: AuthenticatedUser, query: NoticeListQueryDto): Promise<NoticeInboxPageDto> {
    const where: string[] = [];
    const params: unknown[] = [user.id];
    const recipient = recipientFilter(user);
    if (recipient) {
      params.push(JSON.stringify(recipient));
      where.push(`n.recipients @> CAST($${params.length} AS jsonb)`);
    }
    if (query.kind) {
      params.push(query.kind);
      where.push(`n.kind = $${params.length}`);
    }
    if (query.taskQuarterId) {
      params.push(query.taskQuarterId);
      where.push(`n.task_quarter_id = $${params.length}`);
    }
    const from = `FROM notice n LEFT JOIN notification_delivery d
      ON d.notice_key = n.key AND d.user_id = $1 AND d.channel = 'in_app'
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
    const unread = `(d.id IS NOT NULL AND d.read_at IS NULL)`;
    const [{ total, unread_count }]: Array<{ total: number; unread_count: number }> =
      await this.dataSource.query(
        `SELECT count(*)::int AS total, count(*) FILTER (WHERE ${unread})::int AS unread_count ${from}`,
        params,
      );
    const page: Array<{ key: string; unread: boolean }> = await this.dataSource.query(
      `SELECT n.key, ${unread} AS unread ${from}
       ORDER BY ${unread} DESC, n.created_at DESC, n.key ASC
       LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.pageSize, (query.page - 1) * query.pageSize],
    );
    const rows = await this.dataSource
      .getRepository(NoticeEntity)
      .findBy({ key: In(page.map((p) => p.key)) });
    const byKey = new Map(rows.map((r) => [r.key, r]));
    return {
      items: page.map((p) => ({ ...noticeView(byKey.get(p.key)!), read: !p.unread })),
      total,
      unreadCount: unread_count,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** Marks the caller's deliveries of a notice read; the in-app one moves to state `read`. */
  async markRead(user: AuthenticatedUser, key: string): Promise<{ key: string; readAt: string }> {
    const rows: Array<{ read_at: Date }> = await this.dataSource
      .query(
        `UPDATE notification_delivery
       SET read_at = COALESCE(read_at, now()),
           state = CASE WHEN channel = 'in_app' THEN 'read' ELSE state END
       WHERE notice_key = $1 AND user_id = $2
       RETURNING read_at`,
        [key, user.id],
      )
      .then((r: [Array<{ read_at: Date }>, number]) => r[0]);
    if (rows.length === 0) throw new NotFoundException('没有发给您的这条通知');
    return { key, readAt: new Date(rows[0].read_at).toISOString() };
  }
}
