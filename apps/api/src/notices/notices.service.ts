import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NoticeEntity } from '@duban/persistence';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { noticeView } from '../task-quarters/task-quarter-query.service';
import type { NoticeListQueryDto, NoticePageDto } from './dto/notices.dto';

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

  async list(user: AuthenticatedUser, query: NoticeListQueryDto): Promise<NoticePageDto> {
    const qb = this.dataSource.getRepository(NoticeEntity).createQueryBuilder('n');
    const recipient = recipientFilter(user);
    if (recipient)
      qb.andWhere('n.recipients @> CAST(:recipient AS jsonb)', {
        recipient: JSON.stringify(recipient),
      });
    if (query.kind) qb.andWhere('n.kind = :kind', { kind: query.kind });
    if (query.taskQuarterId) qb.andWhere('n.task_quarter_id = :tq', { tq: query.taskQuarterId });
    const [rows, total] = await qb
      .orderBy('n.created_at', 'DESC')
      .addOrderBy('n.key', 'ASC')
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize)
      .getManyAndCount();
    return { items: rows.map(noticeView), total, page: query.page, pageSize: query.pageSize };
  }
}
