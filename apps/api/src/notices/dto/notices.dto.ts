import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PaginationQueryDto } from '../../plans/dto/pagination.dto';
import { NoticeDto } from '../../task-quarters/dto/task-quarter.dto';

export const NOTICE_KINDS = [
  'warning',
  'overdue',
  'escalation',
  'head_reminder',
  'office_reminder',
] as const;

export class NoticeListQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: NOTICE_KINDS })
  @IsOptional()
  @IsIn(NOTICE_KINDS)
  kind?: string;

  @ApiPropertyOptional({ description: 'Only notices about this task-quarter' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  taskQuarterId?: string;
}

export class NoticePageDto {
  @ApiProperty({ type: [NoticeDto] }) items!: NoticeDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
