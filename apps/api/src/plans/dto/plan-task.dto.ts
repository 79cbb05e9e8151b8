import { ApiProperty } from '@nestjs/swagger';

export class PlanTaskUnitDto {
  @ApiProperty({ example: 'housing-water' }) code!: string;
  @ApiProperty({ description: 'The name as the notice wrote it (a collective stays collective)' })
  writtenAs!: string;
  @ApiProperty({ enum: ['lead', 'co'], description: '牵头单位 or 配合单位' }) role!: string;
}

export class PlanTaskTargetDto {
  @ApiProperty({ type: [Number], example: [3, 4] }) quarters!: number[];
  @ApiProperty({ type: String, nullable: true, description: 'null: no target (the cell held /)' })
  text!: string | null;
  @ApiProperty({
    description: 'Spread from a merged cell: for the office to review before activation',
  })
  inferred!: boolean;
}

export class PlanTaskDto {
  @ApiProperty({ example: '36.1' }) code!: string;
  @ApiProperty() item!: number;
  @ApiProperty() category!: number;
  @ApiProperty() name!: string;
  @ApiProperty() goal!: string;
  @ApiProperty() cityLevel!: boolean;
  @ApiProperty({ type: [PlanTaskUnitDto] }) units!: PlanTaskUnitDto[];
  @ApiProperty({ type: [PlanTaskTargetDto] }) targets!: PlanTaskTargetDto[];
}

export class PlanTaskPageDto {
  @ApiProperty({ type: [PlanTaskDto] }) items!: PlanTaskDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
