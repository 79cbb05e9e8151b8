import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PaginationQueryDto } from '../../plans/dto/pagination.dto';
import { UserContactDto } from './notices.dto';

export const USER_ROLES = ['staff', 'head', 'office', 'leader', 'auditor', 'admin'] as const;

export class UserContactListQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ description: "Only this unit's staff and head", example: 'finance' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'unitCode must be a unit code' })
  unitCode?: string;

  @ApiPropertyOptional({ enum: USER_ROLES })
  @IsOptional()
  @IsIn(USER_ROLES)
  role?: string;
}

export class UserContactListItemDto extends UserContactDto {
  @ApiProperty({ example: '财政局负责人' }) name!: string;
  @ApiProperty({ description: 'Inactive users receive nothing' }) active!: boolean;
}

export class UserContactPageDto {
  @ApiProperty({ type: [UserContactListItemDto] }) items!: UserContactListItemDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
