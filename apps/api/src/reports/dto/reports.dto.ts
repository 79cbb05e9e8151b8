import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { AS_OF_PATTERN } from '@duban/reports';

const AS_OF = {
  description: 'What was known at the end of this day, Asia/Shanghai (YYYY-MM-DD)',
  example: '2017-04-03',
};

/** `true`/`1` and `false`/`0` from the query string; anything else fails validation. */
const QueryBoolean = (): PropertyDecorator =>
  Transform(({ obj, key }: { obj: Record<string, unknown>; key: string }) => {
    const raw = obj[key];
    if (raw === 'true' || raw === '1' || raw === true) return true;
    if (raw === 'false' || raw === '0' || raw === false) return false;
    return raw;
  });

export class QuarterTableParamsDto {
  @ApiProperty({ example: '2017-jianghai' })
  @IsString()
  @MaxLength(64)
  planId!: string;

  @ApiProperty({ minimum: 1, maximum: 4, example: 1 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(4)
  n!: number;
}

export class QuarterTableQueryDto {
  @ApiPropertyOptional({ description: 'Only city-level items (★, 市民生实事)', default: false })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  cityLevel?: boolean;

  @ApiPropertyOptional(AS_OF)
  @IsOptional()
  @Matches(AS_OF_PATTERN, { message: 'asOf must be a date YYYY-MM-DD' })
  asOf?: string;
}

export class PlanStatsQueryDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 4,
    description: 'One quarter; every quarter when absent',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(4)
  quarter?: number;

  @ApiPropertyOptional(AS_OF)
  @IsOptional()
  @Matches(AS_OF_PATTERN, { message: 'asOf must be a date YYYY-MM-DD' })
  asOf?: string;

  @ApiPropertyOptional({ minimum: 1, description: 'Only tasks of this category' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  category?: number;

  @ApiPropertyOptional({ description: 'Only task-quarters this unit is responsible for' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  unit?: string;

  @ApiPropertyOptional({ description: 'Only city-level (★) tasks, or (false) only the others' })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  cityLevel?: boolean;
}

export class PlanStatsFilterDto {
  @ApiPropertyOptional() category?: number;
  @ApiPropertyOptional() unit?: string;
  @ApiPropertyOptional() cityLevel?: boolean;
}

export class LampCountsDto {
  @ApiProperty() green!: number;
  @ApiProperty() yellow!: number;
  @ApiProperty() red!: number;
  @ApiProperty() closed!: number;
}

export class StatusCountsDto {
  @ApiProperty() not_open!: number;
  @ApiProperty() reporting!: number;
  @ApiProperty() office_review!: number;
  @ApiProperty() closed!: number;
}

export class CategoryStatsDto {
  @ApiProperty({ example: 1 }) number!: number;
  @ApiProperty({ example: '保障底线民生' }) title!: string;
  @ApiProperty({ example: '（一）保障底线民生（共6项）' }) heading!: string;
  @ApiProperty() taskQuarters!: number;
  @ApiProperty({ type: LampCountsDto }) byLamp!: LampCountsDto;
  @ApiProperty({ type: StatusCountsDto }) byStatus!: StatusCountsDto;
}

export class UnitStatsDto {
  @ApiProperty({ example: 'zjsw' }) unitCode!: string;
  @ApiProperty({ example: '住建水务局' }) unitName!: string;
  @ApiProperty({ description: 'Task-quarters the unit must report on' }) due!: number;
  @ApiProperty() submitted!: number;
  @ApiProperty({ description: 'First submission before the deadline in force' })
  submittedOnTime!: number;
  @ApiProperty() submittedLate!: number;
  @ApiProperty({ description: 'Not submitted although the deadline has passed' }) missing!: number;
  @ApiProperty({ description: 'Returns by the unit head or the office naming the unit' })
  returned!: number;
  @ApiProperty() headApproved!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Submission → head approval' })
  averageHoursToHeadApproval!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Office review start → office approval',
  })
  averageHoursToOfficeApproval!: number | null;
}

export class LaggingUnitDto {
  @ApiProperty() unitCode!: string;
  @ApiProperty() unitName!: string;
  @ApiProperty({ enum: ['report', 'head_approval', 'resubmission'] }) owes!: string;
}

export class OverdueTaskQuarterDto {
  @ApiProperty({ example: 'tq:2017-jianghai:36.1:Q2' }) id!: string;
  @ApiProperty() taskCode!: string;
  @ApiProperty() taskName!: string;
  @ApiProperty() quarter!: number;
  @ApiProperty({ enum: ['not_open', 'reporting', 'office_review', 'closed'] }) phase!: string;
  @ApiProperty({ enum: ['green', 'yellow', 'red', 'closed'] }) lamp!: string;
  @ApiProperty({ format: 'date-time' }) deadline!: string;
  @ApiProperty() overdueDays!: number;
  @ApiProperty({ type: [LaggingUnitDto] }) lagging!: LaggingUnitDto[];
}

export class PlanStatsDto {
  @ApiProperty() planId!: string;
  @ApiProperty() planTitle!: string;
  @ApiProperty({ type: Number, nullable: true }) quarter!: number | null;
  @ApiProperty({ type: PlanStatsFilterDto, description: 'The filters applied; {} for the plan' })
  filter!: PlanStatsFilterDto;
  @ApiProperty({ type: String, nullable: true }) asOf!: string | null;
  @ApiProperty({ format: 'date-time', description: 'The moment the figures describe' }) at!: string;
  @ApiProperty() taskQuarters!: number;
  @ApiProperty({ type: LampCountsDto }) byLamp!: LampCountsDto;
  @ApiProperty({ type: StatusCountsDto }) byStatus!: StatusCountsDto;
  @ApiProperty({ type: Number, nullable: true }) averageHoursToHeadApproval!: number | null;
  @ApiProperty({ type: Number, nullable: true }) averageHoursToOfficeApproval!: number | null;
  @ApiProperty({ type: [CategoryStatsDto] }) categories!: CategoryStatsDto[];
  @ApiProperty({ type: [UnitStatsDto] }) units!: UnitStatsDto[];
  @ApiProperty({ type: [OverdueTaskQuarterDto] }) overdue!: OverdueTaskQuarterDto[];
}
