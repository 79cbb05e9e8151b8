import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuditService } from '@duban/audit';
import { Roles } from '../auth/decorators';
import { ErrorDto } from '../common/error.dto';
import { ReplayResultDto, TaskQuarterHistoryDto } from './dto/audit.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Roles('auditor', 'office')
@ApiForbiddenResponse({ type: ErrorDto, description: 'Only auditors and the office' })
@ApiNotFoundResponse({ type: ErrorDto, description: 'No history for this task-quarter' })
@Controller('audit/task-quarters')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get(':id/history')
  @ApiOperation({
    summary: 'The readable timeline of a task-quarter from its workflow history (every run)',
  })
  @ApiOkResponse({ type: TaskQuarterHistoryDto })
  history(@Param('id') id: string): Promise<TaskQuarterHistoryDto> {
    return this.audit.history(id);
  }

  @Post(':id/replay')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Replay the history with the current workflow code and compare it with the projection',
  })
  @ApiOkResponse({ type: ReplayResultDto })
  async replay(@Param('id') id: string): Promise<ReplayResultDto> {
    const r = await this.audit.replay(id, {
      workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH || undefined,
    });
    return {
      workflowId: r.workflowId,
      deterministic: r.deterministic,
      matchesDatabase: r.matchesDatabase,
      differences: r.differences,
      runs: r.runs.map(({ runId, deterministic, error }) => ({ runId, deterministic, error })),
      expectedSeq: r.expectedSeq,
      note: r.note,
    };
  }
}
