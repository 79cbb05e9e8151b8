import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { PlanImportService, PlanQueryService, type PlanSummary } from '@duban/plans';
import { ImportPlanDto } from './dto/import-plan.dto';
import { PaginationQueryDto, type Page } from './dto/pagination.dto';

@ApiTags('plans')
@Controller('plans')
export class PlansController {
  constructor(
    private readonly importer: PlanImportService,
    private readonly plans: PlanQueryService,
  ) {}

  @Post('import')
  @HttpCode(201)
  @ApiOperation({ summary: 'Import a plan notice (office)' })
  async import(
    @Body() dto: ImportPlanDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PlanSummary & { created: boolean }> {
    const document = dto.encoding === 'base64' ? Buffer.from(dto.document, 'base64') : dto.document;
    const { plan, created } = await this.importer.importDocument(document, dto.year);
    if (!created) res.status(200);
    return { ...(await this.plans.get(plan.id)), created };
  }

  @Get()
  async list(@Query() query: PaginationQueryDto): Promise<Page<PlanSummary>> {
    const { items, total } = await this.plans.list(query.page, query.pageSize);
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  @Get(':planId')
  get(@Param('planId') planId: string): Promise<PlanSummary> {
    return this.plans.get(planId);
  }
}
