import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { LIMITS, type Figures, type ReportStatus } from '@duban/contracts';
import { IsFigures } from './figures.validator';

export const REPORT_STATUSES: readonly ReportStatus[] = ['completed', 'partial', 'not_completed'];
export const DECISIONS = ['approve', 'return'] as const;
export type DecisionKind = (typeof DECISIONS)[number];

/** A unit's progress report for the task-quarter; the unit is the caller's own. */
export class SubmitReportDto {
  @ApiProperty({ enum: REPORT_STATUSES })
  @IsIn(REPORT_STATUSES)
  status!: ReportStatus;

  @ApiProperty({ maxLength: LIMITS.summaryChars, example: '已完成场地平整。' })
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.summaryChars)
  summary!: string;

  @ApiPropertyOptional({
    maxLength: LIMITS.explanationChars,
    description: 'Required unless status is completed',
  })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.explanationChars)
  explanation?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: {
      oneOf: [{ type: 'number' }, { type: 'string', maxLength: LIMITS.figureValueChars }],
    },
    maxProperties: LIMITS.figures,
    example: { 完成投资万元: 120 },
  })
  @IsOptional()
  @IsFigures()
  figures?: Figures;
}

/** A unit head's decision on their unit's latest report. */
export class HeadDecisionDto {
  @ApiProperty({ enum: DECISIONS })
  @IsIn(DECISIONS)
  decision!: DecisionKind;

  @ApiProperty({
    maxLength: LIMITS.commentChars,
    description: 'Required (non-empty) when returning',
  })
  @IsString()
  @MaxLength(LIMITS.commentChars)
  comment!: string;
}

/** The supervision office's review of the whole task-quarter. */
export class OfficeReviewDto {
  @ApiProperty({ enum: DECISIONS })
  @IsIn(DECISIONS)
  decision!: DecisionKind;

  @ApiProperty({
    maxLength: LIMITS.commentChars,
    description: 'Required (non-empty) when returning',
  })
  @IsString()
  @MaxLength(LIMITS.commentChars)
  comment!: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Unit codes returned to; required when returning',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  units?: string[];
}

/** An extension granted by the office. */
export class MoveDeadlineDto {
  @ApiProperty({ format: 'date-time', example: '2017-07-15T00:00:00+08:00' })
  @IsISO8601({ strict: true })
  @MaxLength(40)
  deadline!: string;

  @ApiProperty({ maxLength: LIMITS.reasonChars, example: '受台风影响，延期两周' })
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.reasonChars)
  reason!: string;
}
