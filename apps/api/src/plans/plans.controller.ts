import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { PlanActivationService, PlanImportService, PlanQueryService } from '@duban/plans';
import { Roles } from '../auth/decorators';
import { ErrorDto } from '../common/error.dto';
import { ActivatePlanDto, ActivationResultDto } from './dto/activate-plan.dto';
import { ImportPlanDto } from './dto/import-plan.dto';
import { PaginationQueryDto } from './dto/pagination.dto';
import { ImportedPlanDto, PlanDto, PlanPageDto } from './dto/plan.dto';
import { PlanTaskPageDto } from './dto/plan-task.dto';

@ApiTags('plans')
@ApiBearerAuth()
@Controller('plans')
export class PlansController {
  constructor(
    private readonly importer: PlanImportService,
    private readonly plans: PlanQueryService,
    private readonly activation: PlanActivationService,
  ) {}

  @Post('import')
  @Roles('office')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Import a plan notice (office); 201 when stored, 200 when already stored',
  })
  @ApiCreatedResponse({ type: ImportedPlanDto })
  @ApiOkResponse({ type: ImportedPlanDto })
  @ApiBadRequestResponse({ type: ErrorDto })
  @ApiForbiddenResponse({ type: ErrorDto })
  @ApiUnprocessableEntityResponse({
    type: ErrorDto,
    description: 'The document does not parse, or names unknown units',
  })
  async import(
    @Body() dto: ImportPlanDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ImportedPlanDto> {
    const document = dto.encoding === 'base64' ? Buffer.from(dto.document, 'base64') : dto.document;
    const { plan, created } = await this.importer.importDocument(document, dto.year);
    if (!created) res.status(200);
    return { ...(await this.plans.get(plan.id)), created };
  }

  @Post(':planId/activate')
  @Roles('office')
  @HttpCode(200)
  @ApiOperation({ summary: "Start the plan's task-quarter workflows (office; idempotent)" })
  @ApiOkResponse({ type: ActivationResultDto })
  @ApiForbiddenResponse({ type: ErrorDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  activate(
    @Param('planId') planId: string,
    @Body() dto: ActivatePlanDto,
  ): Promise<ActivationResultDto> {
    return this.activation.activate(planId, dto.fromQuarter ?? 1);
  }

  @Get()
  @ApiOperation({ summary: 'Stored plans, newest year first' })
  @ApiOkResponse({ type: PlanPageDto })
  async list(@Query() query: PaginationQueryDto): Promise<PlanPageDto> {
    const { items, total } = await this.plans.list(query.page, query.pageSize);
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  @Get(':planId/tasks')
  @ApiOperation({
    summary:
      "The plan's tasks as parsed: units (lead first) and quarterly targets, inferred spans marked",
  })
  @ApiOkResponse({ type: PlanTaskPageDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  async tasks(
    @Param('planId') planId: string,
    @Query() query: PaginationQueryDto,
  ): Promise<PlanTaskPageDto> {
    const tasks = await this.plans.tasksOf(planId);
    const start = (query.page - 1) * query.pageSize;
    const items = tasks.slice(start, start + query.pageSize).map((t) => ({
      code: t.code,
      item: t.item,
      category: t.category,
      name: t.name,
      goal: t.goal,
      cityLevel: t.cityLevel,
      units: (t.responsibilities ?? []).map((r) => ({
        code: r.unitCode,
        writtenAs: r.writtenAs,
        role: r.role,
      })),
      // One row per quarter is stored; a merged cell is one target spanning its quarters.
      targets: (t.targets ?? [])
        .filter((q) => q.quarter === q.span[0])
        .map((q) => ({ quarters: q.span, text: q.text, inferred: q.inferred })),
    }));
    return { items, total: tasks.length, page: query.page, pageSize: query.pageSize };
  }

  @Get(':planId')
  @ApiOperation({ summary: 'One plan' })
  @ApiOkResponse({ type: PlanDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  get(@Param('planId') planId: string): Promise<PlanDto> {
    return this.plans.get(planId);
  }
}
