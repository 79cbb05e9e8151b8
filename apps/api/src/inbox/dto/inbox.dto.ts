import { ApiProperty } from '@nestjs/swagger';
import { TaskQuarterSummaryDto } from '../../task-quarters/dto/task-quarter.dto';

export const INBOX_REASONS = [
  'report',
  'resubmission',
  'head_approval',
  'office_review',
  'overdue',
  'escalation',
] as const;
export type InboxReason = (typeof INBOX_REASONS)[number];

export class InboxItemDto extends TaskQuarterSummaryDto {
  @ApiProperty({ enum: INBOX_REASONS, description: 'Why it is in the inbox' })
  reason!: InboxReason;
}

export class InboxPageDto {
  @ApiProperty({ type: [InboxItemDto] }) items!: InboxItemDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
