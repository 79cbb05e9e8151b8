import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
  ValidateIf,
} from 'class-validator';
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

export class NoticeItemDto extends NoticeDto {
  @ApiProperty({ description: 'Whether the caller has read it' }) read!: boolean;
}

export class NoticeInboxPageDto {
  @ApiProperty({ type: [NoticeItemDto] }) items!: NoticeItemDto[];
  @ApiProperty() total!: number;
  @ApiProperty({ description: "The caller's unread notices" }) unreadCount!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class NoticeReadDto {
  @ApiProperty() key!: string;
  @ApiProperty({ format: 'date-time' }) readAt!: string;
}

export const DELIVERY_STATES = ['pending', 'sending', 'sent', 'failed', 'read'] as const;
export const CHANNELS = ['in_app', 'email', 'webhook'] as const;

export class DeliveryListQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATES })
  @IsOptional()
  @IsIn(DELIVERY_STATES)
  state?: string;

  @ApiPropertyOptional({ enum: CHANNELS })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(128)
  taskQuarterId?: string;
}

export class DeliveryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() noticeKey!: string;
  @ApiProperty() taskQuarterId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: NOTICE_KINDS }) kind!: string;
  @ApiProperty({ enum: CHANNELS }) channel!: string;
  @ApiProperty({ enum: DELIVERY_STATES }) state!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() username!: string;
  @ApiProperty({ type: String, nullable: true }) address!: string | null;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) nextAttemptAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) sentAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) readAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class DeliveryPageDto {
  @ApiProperty({ type: [DeliveryDto] }) items!: DeliveryDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class UnitContactDto {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ type: String, nullable: true }) webhookUrl!: string | null;
}

export class UpdateUnitContactDto {
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsEmail()
  @MaxLength(256)
  email?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  @MaxLength(512)
  webhookUrl?: string | null;
}

export class UserContactDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() role!: string;
  @ApiProperty({ type: String, nullable: true }) unitCode!: string | null;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ type: String, nullable: true }) webhookUrl!: string | null;
  @ApiProperty() emailEnabled!: boolean;
  @ApiProperty() webhookEnabled!: boolean;
}

export class UpdateUserContactDto extends UpdateUnitContactDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() emailEnabled?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() webhookEnabled?: boolean;
}
