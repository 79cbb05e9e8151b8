import {
  applyDecorators,
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { ErrorDto } from '../common/error.dto';
import {
  HeadDecisionDto,
  MoveDeadlineDto,
  OfficeReviewDto,
  SubmitReportDto,
} from './dto/actions.dto';
import {
  TaskQuarterDetailDto,
  TaskQuarterListQueryDto,
  TaskQuarterPageDto,
  TaskQuarterUpdateResultDto,
} from './dto/task-quarter.dto';
import { TaskQuarterActionsService } from './task-quarter-actions.service';
import { TaskQuarterQueryService } from './task-quarter-query.service';

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: 'The same key twice (same user, same action) acts once and answers the same',
};

/** Decorators every action shares: the header it reads and the errors it can answer with. */
function ActionErrors(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiHeader(IDEMPOTENCY_HEADER),
    ApiBadRequestResponse({ type: ErrorDto }),
    ApiForbiddenResponse({ type: ErrorDto, description: 'Role or unit may not act' }),
    ApiNotFoundResponse({ type: ErrorDto, description: 'Unknown task-quarter' }),
    ApiConflictResponse({
      type: ErrorDto,
      description: 'The phase does not allow it; the workflow is closed',
    }),
    ApiUnprocessableEntityResponse({
      type: ErrorDto,
      description: "Refused by the workflow's validation",
    }),
  );
}

@ApiTags('task-quarters')
@ApiBearerAuth()
@Controller()
export class TaskQuartersController {
  constructor(
    private readonly actions: TaskQuarterActionsService,
    private readonly queries: TaskQuarterQueryService,
  ) {}

  @Get('plans/:planId/task-quarters')
  @ApiOperation({ summary: "A plan's task-quarters with lamps and unit states" })
  @ApiOkResponse({ type: TaskQuarterPageDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  list(
    @Param('planId') planId: string,
    @Query() query: TaskQuarterListQueryDto,
  ): Promise<TaskQuarterPageDto> {
    return this.queries.listForPlan(planId, query);
  }

  @Get('task-quarters/:id')
  @ApiOperation({
    summary: 'A task-quarter: targets, units, every report version, decisions, deadline, notices',
  })
  @ApiOkResponse({ type: TaskQuarterDetailDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  get(@Param('id') id: string): Promise<TaskQuarterDetailDto> {
    return this.queries.get(id);
  }

  @Post('task-quarters/:id/submissions')
  @Roles('staff')
  @ApiOperation({ summary: "Submit the caller's unit's progress report (unit staff)" })
  @ApiCreatedResponse({ type: TaskQuarterUpdateResultDto })
  @ActionErrors()
  submit(
    @Param('id') id: string,
    @Body() dto: SubmitReportDto,
    @CurrentUser() user: AuthenticatedUser,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<TaskQuarterUpdateResultDto> {
    return this.actions.submit(id, user, dto, idempotencyKey);
  }

  @Post('task-quarters/:id/units/:unitCode/decision')
  @HttpCode(200)
  @Roles('head')
  @ApiOperation({ summary: "Approve or return the unit's latest report (that unit's head)" })
  @ApiOkResponse({ type: TaskQuarterUpdateResultDto })
  @ActionErrors()
  decide(
    @Param('id') id: string,
    @Param('unitCode') unitCode: string,
    @Body() dto: HeadDecisionDto,
    @CurrentUser() user: AuthenticatedUser,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<TaskQuarterUpdateResultDto> {
    return this.actions.decideAsHead(id, unitCode, user, dto, idempotencyKey);
  }

  @Post('task-quarters/:id/review')
  @HttpCode(200)
  @Roles('office')
  @ApiOperation({
    summary: 'Close the task-quarter or return it to named units (supervision office)',
  })
  @ApiOkResponse({ type: TaskQuarterUpdateResultDto })
  @ActionErrors()
  review(
    @Param('id') id: string,
    @Body() dto: OfficeReviewDto,
    @CurrentUser() user: AuthenticatedUser,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<TaskQuarterUpdateResultDto> {
    return this.actions.reviewAsOffice(id, user, dto, idempotencyKey);
  }

  @Post('task-quarters/:id/deadline')
  @HttpCode(200)
  @Roles('office')
  @ApiOperation({ summary: 'Move the reporting deadline, with a reason (supervision office)' })
  @ApiOkResponse({ type: TaskQuarterUpdateResultDto })
  @ActionErrors()
  moveDeadline(
    @Param('id') id: string,
    @Body() dto: MoveDeadlineDto,
    @CurrentUser() user: AuthenticatedUser,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<TaskQuarterUpdateResultDto> {
    return this.actions.moveDeadline(id, user, dto, idempotencyKey);
  }
}
