import { ApiProperty } from '@nestjs/swagger';

export class PlanDto {
  @ApiProperty({ example: '2017-jianghai' }) id!: string;
  @ApiProperty({ example: '江开发〔2017〕2号' }) docNumber!: string;
  @ApiProperty() title!: string;
  @ApiProperty() year!: number;
  @ApiProperty() sourceYear!: number;
  @ApiProperty({ format: 'date' }) issuedOn!: string;
  @ApiProperty({ example: '区督查室' }) reportTo!: string;
  @ApiProperty({ type: [String] }) issuers!: string[];
  @ApiProperty({ enum: ['imported', 'active'] }) status!: string;
  @ApiProperty({ format: 'date-time' }) importedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) activatedAt!: string | null;
  @ApiProperty() categories!: number;
  @ApiProperty() tasks!: number;
  @ApiProperty() cityLevelTasks!: number;
}

export class ImportedPlanDto extends PlanDto {
  @ApiProperty({ description: 'False when the same document was already stored for that year' })
  created!: boolean;
}

export class PlanPageDto {
  @ApiProperty({ type: [PlanDto] }) items!: PlanDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
