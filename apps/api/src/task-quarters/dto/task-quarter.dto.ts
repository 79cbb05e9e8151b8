import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBooleanString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ROLES, type Role } from '@duban/contracts';
import { PaginationQueryDto } from '../../plans/dto/pagination.dto';

const PHASES = ['not_open', 'reporting', 'office_review', 'closed'];
const LAMPS = ['green', 'yellow', 'red', 'closed'];
const UNIT_STATUSES = [
  'awaiting_report',
  'awaiting_head',
  'returned_by_head',
  'returned_by_office',
  'head_approved',
];

export class ActorDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ type: String, nullable: true }) unitCode!: string | null;
}

export class UnitResultDto {
  @ApiProperty() code!: string;
  @ApiProperty({ enum: UNIT_STATUSES }) status!: string;
  @ApiProperty() latestVersion!: number;
}

/** What every action answers: the task-quarter right after the update. */
export class TaskQuarterUpdateResultDto {
  @ApiProperty({ example: 'tq:2017-jianghai:36.1:Q2' }) workflowId!: string;
  @ApiProperty({ description: 'The audit event this action recorded' }) seq!: number;
  @ApiProperty({ enum: PHASES }) phase!: string;
  @ApiProperty({ enum: LAMPS }) lamp!: string;
  @ApiProperty({ format: 'date-time' }) deadline!: string;
  @ApiProperty({ type: [UnitResultDto] }) units!: UnitResultDto[];
}

export class TaskQuarterListQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 4 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(4)
  @Type(() => Number)
  quarter?: number;

  @ApiPropertyOptional({ description: 'A responsible unit code' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  unit?: string;

  @ApiPropertyOptional({ enum: LAMPS })
  @IsOptional()
  @IsIn(LAMPS)
  lamp?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'Only city-level (市民生实事) tasks, or only the others',
  })
  @IsOptional()
  @IsBooleanString()
  @Type(() => String)
  cityLevel?: string;

  @ApiPropertyOptional({ minimum: 1, description: 'Category number' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  @Type(() => Number)
  category?: number;
}

export class UnitSummaryDto {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() lead!: boolean;
  @ApiProperty({ enum: UNIT_STATUSES }) status!: string;
  @ApiProperty() latestVersion!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) waitingSince!: string | null;
}

export class TaskQuarterSummaryDto {
  @ApiProperty({ example: 'tq:2017-jianghai:36.1:Q2' }) id!: string;
  @ApiProperty() planId!: string;
  @ApiProperty({ example: '36.1' }) taskCode!: string;
  @ApiProperty() taskName!: string;
  @ApiProperty() category!: number;
  @ApiProperty() cityLevel!: boolean;
  @ApiProperty() quarter!: number;
  @ApiProperty({ enum: PHASES }) phase!: string;
  @ApiProperty({ enum: LAMPS }) lamp!: string;
  @ApiProperty({ format: 'date-time' }) deadline!: string;
  @ApiProperty({ type: String, nullable: true }) target!: string | null;
  @ApiProperty() escalationLevel!: number;
  @ApiProperty({ type: [UnitSummaryDto] }) units!: UnitSummaryDto[];
}

export class TaskQuarterPageDto {
  @ApiProperty({ type: [TaskQuarterSummaryDto] }) items!: TaskQuarterSummaryDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class TargetDto {
  @ApiProperty() quarter!: number;
  @ApiProperty({ type: String, nullable: true }) text!: string | null;
  @ApiProperty({ description: 'Spread from a merged cell; the office should check it' })
  inferred!: boolean;
  @ApiProperty({ type: [Number], example: [3, 4] }) span!: number[];
}

export class ReportVersionDto {
  @ApiProperty() version!: number;
  @ApiProperty({ enum: ['completed', 'partial', 'not_completed'] }) status!: string;
  @ApiProperty() summary!: string;
  @ApiProperty({ type: String, nullable: true }) explanation!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  figures!: Record<string, number | string> | null;
  @ApiProperty({ type: ActorDto }) submittedBy!: ActorDto;
  @ApiProperty({ format: 'date-time' }) submittedAt!: string;
}

export class UnitDetailDto extends UnitSummaryDto {
  @ApiProperty({ type: [ReportVersionDto], description: 'Every version, oldest first' })
  reports!: ReportVersionDto[];
}

export class DecisionDto {
  @ApiProperty() seq!: number;
  @ApiProperty({ enum: ['head', 'office'] }) level!: string;
  @ApiProperty({ enum: ['approve', 'return'] }) decision!: string;
  @ApiProperty() comment!: string;
  @ApiProperty({ type: [String] }) units!: string[];
  @ApiProperty({ type: ActorDto }) actor!: ActorDto;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class DeadlineChangeDto {
  @ApiProperty() seq!: number;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: ActorDto }) actor!: ActorDto;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class NoticeRecipientDto {
  @ApiProperty({ enum: ['staff', 'head', 'office', 'leader'] }) role!: string;
  @ApiProperty({ type: String, nullable: true }) unitCode!: string | null;
}

export class LaggingUnitDto {
  @ApiProperty() unitCode!: string;
  @ApiProperty() unitName!: string;
  @ApiProperty({ enum: ['report', 'head_approval', 'resubmission'] }) owes!: string;
}

export class NoticeDto {
  @ApiProperty() key!: string;
  @ApiProperty() taskQuarterId!: string;
  @ApiProperty({ enum: ['warning', 'overdue', 'escalation', 'head_reminder', 'office_reminder'] })
  kind!: string;
  @ApiProperty() title!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ type: [NoticeRecipientDto] }) recipients!: NoticeRecipientDto[];
  @ApiProperty({ type: [LaggingUnitDto] }) lagging!: LaggingUnitDto[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class TaskQuarterDetailDto {
  @ApiProperty({ example: 'tq:2017-jianghai:36.1:Q2' }) id!: string;
  @ApiProperty() planId!: string;
  @ApiProperty() taskCode!: string;
  @ApiProperty() taskName!: string;
  @ApiProperty() goal!: string;
  @ApiProperty() category!: number;
  @ApiProperty() cityLevel!: boolean;
  @ApiProperty() quarter!: number;
  @ApiProperty({ enum: PHASES }) phase!: string;
  @ApiProperty({ enum: LAMPS }) lamp!: string;
  @ApiProperty({ format: 'date-time' }) opensAt!: string;
  @ApiProperty({ format: 'date-time' }) deadline!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt!: string | null;
  @ApiProperty() escalationLevel!: number;
  @ApiProperty({ type: String, nullable: true, description: "This quarter's target" }) target!:
    string | null;
  @ApiProperty({ type: [TargetDto], description: 'Every quarter of the task' })
  targets!: TargetDto[];
  @ApiProperty({ type: [UnitDetailDto] }) units!: UnitDetailDto[];
  @ApiProperty({ type: [DecisionDto] }) decisions!: DecisionDto[];
  @ApiProperty({ type: [DeadlineChangeDto] }) deadlineHistory!: DeadlineChangeDto[];
  @ApiProperty({ type: [NoticeDto] }) notices!: NoticeDto[];
  @ApiProperty({ enum: ['projection', 'workflow'], description: 'Where this view was read from' })
  source!: 'projection' | 'workflow';
  @ApiProperty({ description: 'The last audit event reflected in this view' }) seq!: number;
}
