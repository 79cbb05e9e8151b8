import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { OrganisationService } from '@duban/organisation';

@ApiTags('units')
@Controller('units')
export class UnitsController {
  constructor(private readonly organisation: OrganisationService) {}

  @Get()
  async list(): Promise<{ items: Array<{ code: string; name: string; kind: string }>; total: number }> {
    const units = await this.organisation.listUnits();
    const items = units.map((u) => ({ code: u.code, name: u.name, kind: u.kind }));
    return { items, total: items.length };
  }
}
