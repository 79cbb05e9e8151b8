import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { SqlFilter } from '../task-quarters/sql-filter';
import { TaskQuarterQueryService } from '../task-quarters/task-quarter-query.service';
import type { TaskQuarterSummaryDto } from '../task-quarters/dto/task-quarter.dto';
import type { InboxItemDto, InboxPageDto, InboxReason } from './dto/inbox.dto';

const OWES_SUBMISSION = `('awaiting_report', 'returned_by_head', 'returned_by_office')`;

/** What the caller must act on, by role; read from the projection. */
@Injectable()
export class InboxService {
  constructor(private readonly queries: TaskQuarterQueryService) {}

  async inbox(user: AuthenticatedUser, page: number, pageSize: number): Promise<InboxPageDto> {
    const filter = this.filterFor(user);
    if (!filter) return { items: [], total: 0, page, pageSize };
    const result = await this.queries.page(filter, page, pageSize);
    return {
      ...result,
      items: result.items.map((item) => ({ ...item, reason: reasonFor(user, item) })),
    };
  }

  private filterFor(user: AuthenticatedUser): SqlFilter | null {
    const open = `tq.phase NOT IN ('closed', 'not_open')`;
    switch (user.role) {
      case 'staff':
        // Task-quarters the caller's unit still owes a report or a resubmission for.
        return new SqlFilter().and(open).and(
          `EXISTS (SELECT 1 FROM task_quarter_unit u WHERE u.task_quarter_id = tq.id
                     AND u.unit_code = ? AND u.status IN ${OWES_SUBMISSION})`,
          user.unitCode,
        );
      case 'head':
        return new SqlFilter().and(open).and(
          `EXISTS (SELECT 1 FROM task_quarter_unit u WHERE u.task_quarter_id = tq.id
                     AND u.unit_code = ? AND u.status = 'awaiting_head')`,
          user.unitCode,
        );
      case 'office':
        return new SqlFilter().and(`tq.phase = 'office_review' OR (tq.lamp = 'red' AND ${open})`);
      case 'leader':
        return new SqlFilter().and(open).and('tq.escalation_level > 0');
      default:
        // Auditors and administrators act on no task-quarter.
        return null;
    }
  }
}

function reasonFor(user: AuthenticatedUser, item: TaskQuarterSummaryDto): InboxReason {
  const mine = item.units.find((u) => u.code === user.unitCode);
  switch (user.role) {
    case 'staff':
      return mine && mine.status !== 'awaiting_report' ? 'resubmission' : 'report';
    case 'head':
      return 'head_approval';
    case 'office':
      return item.phase === 'office_review' ? 'office_review' : 'overdue';
    default:
      return 'escalation';
  }
}

export type { InboxItemDto };
