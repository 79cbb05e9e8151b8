import { randomUUID } from 'node:crypto';
import {
  BadRequestException,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { UpdateDefinition } from '@temporalio/client';
import { DataSource } from 'typeorm';
import {
  decideAsHeadUpdate,
  moveDeadlineUpdate,
  parseTaskQuarterWorkflowId,
  reviewAsOfficeUpdate,
  submitReportUpdate,
  type TaskQuarterUpdateResult,
} from '@duban/contracts';
import { TaskQuarterEntity } from '@duban/persistence';
import { TemporalClientService } from '@duban/temporal';
import { toActor, type AuthenticatedUser } from '../auth/authenticated-user';
import { closedWorkflowError, httpErrorForUpdateFailure } from '../common/workflow-errors';
import type {
  HeadDecisionDto,
  MoveDeadlineDto,
  OfficeReviewDto,
  SubmitReportDto,
} from './dto/actions.dto';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Every write is a Temporal Update on the task-quarter's workflow, which validates it against its
 * own state; the API checks only what it knows better (who the caller is) and maps rejections.
 */
@Injectable()
export class TaskQuarterActionsService {
  constructor(
    private readonly temporal: TemporalClientService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async submit(
    id: string,
    user: AuthenticatedUser,
    dto: SubmitReportDto,
    idempotencyKey?: string,
  ): Promise<TaskQuarterUpdateResult> {
    const unitCode = user.unitCode;
    if (!unitCode) throw new ForbiddenException('账号未绑定单位，不能报送');
    await this.assertResponsible(id, unitCode);
    return this.execute(id, submitReportUpdate, 'submit', user, idempotencyKey, {
      actor: toActor(user),
      unitCode,
      status: dto.status,
      summary: dto.summary,
      ...(dto.explanation !== undefined ? { explanation: dto.explanation } : {}),
      ...(dto.figures !== undefined ? { figures: dto.figures } : {}),
    });
  }

  async decideAsHead(
    id: string,
    unitCode: string,
    user: AuthenticatedUser,
    dto: HeadDecisionDto,
    idempotencyKey?: string,
  ): Promise<TaskQuarterUpdateResult> {
    if (user.unitCode !== unitCode) throw new ForbiddenException('只能审核本单位的报送');
    return this.execute(id, decideAsHeadUpdate, 'head-decision', user, idempotencyKey, {
      actor: toActor(user),
      unitCode,
      decision: dto.decision,
      comment: dto.comment,
    });
  }

  reviewAsOffice(
    id: string,
    user: AuthenticatedUser,
    dto: OfficeReviewDto,
    idempotencyKey?: string,
  ): Promise<TaskQuarterUpdateResult> {
    return this.execute(id, reviewAsOfficeUpdate, 'office-review', user, idempotencyKey, {
      actor: toActor(user),
      decision: dto.decision,
      comment: dto.comment,
      ...(dto.units !== undefined ? { units: dto.units } : {}),
    });
  }

  moveDeadline(
    id: string,
    user: AuthenticatedUser,
    dto: MoveDeadlineDto,
    idempotencyKey?: string,
  ): Promise<TaskQuarterUpdateResult> {
    return this.execute(id, moveDeadlineUpdate, 'deadline', user, idempotencyKey, {
      actor: toActor(user),
      deadline: new Date(dto.deadline).toISOString(),
      reason: dto.reason,
    });
  }

  /** A staff member acts only on task-quarters their unit is responsible for. */
  private async assertResponsible(id: string, unitCode: string): Promise<void> {
    const row = await this.dataSource
      .getRepository(TaskQuarterEntity)
      .findOne({ where: { id }, select: ['id', 'unitCodes'] });
    // Without a projection row yet, the workflow's own NOT_RESPONSIBLE check still applies.
    if (row && !row.unitCodes.includes(unitCode)) {
      throw new ForbiddenException(`本单位（${unitCode}）不是该任务季度的责任单位`);
    }
  }

  private async execute<Input>(
    id: string,
    update: UpdateDefinition<TaskQuarterUpdateResult, [Input]>,
    action: string,
    user: AuthenticatedUser,
    idempotencyKey: string | undefined,
    input: Input,
  ): Promise<TaskQuarterUpdateResult> {
    if (!parseTaskQuarterWorkflowId(id)) throw new NotFoundException(`任务季度 ${id} 不存在`);
    const updateId = updateIdFor(action, user, idempotencyKey);
    const client = await this.temporal.getClient();
    const handle = client.workflow.getHandle(id);
    try {
      return await handle.executeUpdate(update, { args: [input], updateId });
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        // The server says "not found" both for unknown workflows and for completed ones.
        const closed = await handle.describe().then(
          (d) => d.status.name !== 'RUNNING',
          () => false,
        );
        if (closed) throw closedWorkflowError(id);
      }
      const mapped = httpErrorForUpdateFailure(error, id);
      if (mapped) throw mapped;
      throw error;
    }
  }
}

/**
 * The Update ID: the caller's Idempotency-Key scoped to the action and the user, so a key reused
 * by someone else (or for another action) never returns another's answer; a fresh one otherwise.
 */
export function updateIdFor(
  action: string,
  user: Pick<AuthenticatedUser, 'id'>,
  key: string | undefined,
): string {
  if (key === undefined || key === '') return `${action}:${user.id}:${randomUUID()}`;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new BadRequestException('Idempotency-Key 须为 1–128 个字母、数字或 . _ : - 字符');
  }
  return `${action}:${user.id}:${key}`;
}
