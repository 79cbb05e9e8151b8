import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class ActivatePlanDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 4,
    default: 1,
    description: 'Start task-quarters from this quarter on',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(4)
  fromQuarter?: number;
}

export class ActivationResultDto {
  @ApiProperty() planId!: string;
  @ApiProperty({ minimum: 1, maximum: 4 }) fromQuarter!: number;
  @ApiProperty({ description: 'Task-quarters with a target from fromQuarter on' })
  taskQuarters!: number;
  @ApiProperty() started!: number;
  @ApiProperty({ description: 'Already running or finished: activation is idempotent' })
  alreadyStarted!: number;
}
