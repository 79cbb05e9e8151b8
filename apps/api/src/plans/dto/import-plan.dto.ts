import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export class ImportPlanDto {
  @ApiProperty({
    description:
      'The notice text (UTF-8), or base64 of its bytes when encoding is base64 (e.g. GB18030 files)',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(1_500_000)
  document!: string;

  @ApiPropertyOptional({ enum: ['text', 'base64'], default: 'text' })
  @IsOptional()
  @IsIn(['text', 'base64'])
  encoding?: 'text' | 'base64';

  @ApiPropertyOptional({ description: "Store the plan for this year instead of the document's" })
  @IsOptional()
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;
}
