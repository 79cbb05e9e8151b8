import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ActorDto } from '../../task-quarters/dto/task-quarter.dto';

const ITEM_TYPES = [
  'run_started',
  'run_continued_as_new',
  'run_completed',
  'run_failed',
  'report_submitted',
  'head_approved',
  'head_returned',
  'office_approved',
  'office_returned',
  'deadline_moved',
  'update_rejected',
  'reporting_opened',
  'office_review_started',
  'notice_created',
  'lamp_changed',
  'closed',
];

export class TimelineItemDto {
  @ApiProperty({ description: '1, 2, … across every run' }) index!: number;
  @ApiProperty() runId!: string;
  @ApiProperty({ description: 'The history event the item was read from' }) eventId!: number;
  @ApiProperty({ description: 'ISO instant' }) at!: string;
  @ApiProperty({ enum: ITEM_TYPES }) type!: string;
  @ApiProperty({
    type: ActorDto,
    nullable: true,
    description: 'Null for what the workflow did on its own',
  })
  actor!: ActorDto | null;
  @ApiProperty({ type: Number, nullable: true, description: 'The audit event seq, when known' })
  seq!: number | null;
  @ApiProperty({ description: 'zh-CN, e.g. 张三（外海街道办事处）提交完成情况 第2版（已完成）：…' })
  text!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) detail!: Record<string, unknown>;
}

export class HistoryRunDto {
  @ApiProperty() runId!: string;
  @ApiProperty() events!: number;
}

export class TaskQuarterHistoryDto {
  @ApiProperty() workflowId!: string;
  @ApiProperty({ enum: ['temporal', 'archive'] }) source!: string;
  @ApiProperty({ type: [HistoryRunDto] }) runs!: HistoryRunDto[];
  @ApiProperty({ type: [TimelineItemDto] }) items!: TimelineItemDto[];
}

export class FieldDifferenceDto {
  @ApiProperty() field!: string;
  @ApiProperty({ description: 'What the history says' }) expected!: unknown;
  @ApiProperty({ description: 'What Postgres holds' }) actual!: unknown;
}

export class ProjectionDifferenceDto {
  @ApiProperty({
    enum: [
      'task_quarter',
      'task_quarter_unit',
      'report_version',
      'decision',
      'deadline_change',
      'notice',
      'audit_event',
    ],
  })
  table!: string;
  @ApiProperty({ enum: ['changed', 'missing', 'added'] }) kind!: string;
  @ApiProperty({ example: 'seq=7' }) key!: string;
  @ApiPropertyOptional({ type: [FieldDifferenceDto] }) fields?: FieldDifferenceDto[];
  @ApiProperty() message!: string;
}

export class RunReplayDto {
  @ApiProperty() runId!: string;
  @ApiProperty() deterministic!: boolean;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
}

export class ReplayResultDto {
  @ApiProperty() workflowId!: string;
  @ApiProperty({
    description: 'Every run replayed with the current workflow code without nondeterminism',
  })
  deterministic!: boolean;
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: 'Null when Postgres holds no rows for it',
  })
  matchesDatabase!: boolean | null;
  @ApiProperty({ type: [ProjectionDifferenceDto] }) differences!: ProjectionDifferenceDto[];
  @ApiProperty({ type: [RunReplayDto] }) runs!: RunReplayDto[];
  @ApiProperty({ type: Number, nullable: true }) expectedSeq!: number | null;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
}
