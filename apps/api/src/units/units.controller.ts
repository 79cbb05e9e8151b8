import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { OrganisationService } from '@duban/organisation';

export class UnitDto {
  @ApiProperty({ example: 'housing-water' }) code!: string;
  @ApiProperty({ example: '住建水务局' }) name!: string;
  @ApiProperty({ enum: ['department', 'street_office', 'supervision_office', 'collective'] })
  kind!: string;
}

export class UnitListDto {
  @ApiProperty({ type: [UnitDto] }) items!: UnitDto[];
  @ApiProperty() total!: number;
}

@ApiTags('units')
@ApiBearerAuth()
@Controller('units')
export class UnitsController {
  constructor(private readonly organisation: OrganisationService) {}

  @Get()
  @ApiOkResponse({ type: UnitListDto })
  async list(): Promise<UnitListDto> {
    const units = await this.organisation.listUnits();
    const items = units.map((u) => ({ code: u.code, name: u.name, kind: u.kind }));
    return { items, total: items.length };
  }
}
