import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { ROLES, type Role } from '@duban/contracts';

export class LoginDto {
  @ApiProperty({ example: 'housing-water.staff', maxLength: 64 })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  username!: string;

  @ApiProperty({ example: 'duban-demo', maxLength: 128 })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password!: string;
}

export class UserDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'housing-water.staff' }) username!: string;
  @ApiProperty({ example: '住建水务局经办人' }) name!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ type: String, nullable: true, example: 'housing-water' }) unitCode!: string | null;
}

export class LoginResponseDto {
  @ApiProperty({ description: 'HS256 JWT; send as `Authorization: Bearer <token>`' })
  accessToken!: string;

  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ type: UserDto }) user!: UserDto;
}

export class LogoutResponseDto {
  @ApiProperty({ example: true }) revoked!: boolean;
}
