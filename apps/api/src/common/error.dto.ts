import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The body of every error response. */
export class ErrorDto {
  @ApiProperty({ example: 403 }) statusCode!: number;
  @ApiProperty({ example: 'Forbidden' }) error!: string;
  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: '只能为本单位报送',
  })
  message!: string | string[];
  @ApiPropertyOptional({
    description: 'A stable machine-readable code when there is one',
    example: 'PHASE_NOT_ALLOWED',
  })
  code?: string;
}
