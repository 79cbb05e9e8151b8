import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { PlanStatsService, QuarterlyTableService, type TableFormat } from '@duban/reports';
import { Roles } from '../auth/decorators';
import { ErrorDto } from '../common/error.dto';
import {
  PlanStatsDto,
  PlanStatsQueryDto,
  QuarterTableParamsDto,
  QuarterTableQueryDto,
} from './dto/reports.dto';

@ApiTags('reports')
@ApiBearerAuth()
@ApiBadRequestResponse({ type: ErrorDto })
@ApiForbiddenResponse({ type: ErrorDto })
@ApiNotFoundResponse({ type: ErrorDto, description: 'Unknown plan' })
@Controller()
export class ReportsController {
  constructor(
    private readonly tables: QuarterlyTableService,
    private readonly statistics: PlanStatsService,
  ) {}

  @Get('reports/:planId/quarters/:n.xlsx')
  @Roles('office', 'auditor')
  @ApiOperation({ summary: 'The quarterly table (完成情况表) as XLSX, in the notice’s layout' })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  xlsx(
    @Param() params: QuarterTableParamsDto,
    @Query() query: QuarterTableQueryDto,
  ): Promise<StreamableFile> {
    return this.table(params, query, 'xlsx');
  }

  @Get('reports/:planId/quarters/:n.csv')
  @Roles('office', 'auditor')
  @ApiOperation({ summary: 'The quarterly table as CSV (UTF-8 with BOM, RFC 4180)' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  csv(
    @Param() params: QuarterTableParamsDto,
    @Query() query: QuarterTableQueryDto,
  ): Promise<StreamableFile> {
    return this.table(params, query, 'csv');
  }

  @Get('plans/:planId/stats')
  @Roles('office', 'auditor', 'leader')
  @ApiOperation({
    summary: 'Task-quarters by lamp, status, category and unit; the overdue list',
    description: 'category, unit and cityLevel narrow the count as they do the task-quarter list.',
  })
  @ApiOkResponse({ type: PlanStatsDto })
  stats(@Param('planId') planId: string, @Query() query: PlanStatsQueryDto): Promise<PlanStatsDto> {
    return this.statistics.stats(planId, {
      quarter: query.quarter,
      asOf: query.asOf,
      category: query.category,
      unit: query.unit,
      cityLevel: query.cityLevel,
    });
  }

  private async table(
    params: QuarterTableParamsDto,
    query: QuarterTableQueryDto,
    format: TableFormat,
  ): Promise<StreamableFile> {
    const file = await this.tables.generate(params.planId, params.n, format, {
      cityLevelOnly: query.cityLevel === true,
      asOf: query.asOf,
    });
    return new StreamableFile(file.body, {
      type: file.contentType,
      disposition: file.contentDisposition,
      length: file.body.length,
    });
  }
}
