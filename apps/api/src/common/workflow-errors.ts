import { HttpException, HttpStatus } from '@nestjs/common';
import {
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { isRejectionCode, REJECTION_HTTP_STATUS } from '@duban/contracts';

/**
 * An update the workflow refused, with the workflow's own message and its rejection code. The
 * error filter turns it into `{statusCode, error, message, code}`.
 */
export class WorkflowRejection extends HttpException {
  constructor(
    readonly code: string,
    message: string,
    status: number,
  ) {
    super({ message, code }, status);
  }
}

/**
 * Maps what `handle.executeUpdate` throws to an HTTP error. A validator rejects with an
 * ApplicationFailure whose `type` is a rejection code; anything else the workflow throws while
 * handling an update is a conflict with its state. Returns null for errors it does not know, so
 * the caller can rethrow them unchanged (they become 500s and are logged).
 */
export function httpErrorForUpdateFailure(
  error: unknown,
  workflowId: string,
): HttpException | null {
  if (error instanceof WorkflowUpdateFailedError) {
    const cause = error.cause;
    if (cause instanceof ApplicationFailure) {
      const message = cause.message || error.message;
      if (isRejectionCode(cause.type)) {
        return new WorkflowRejection(cause.type, message, REJECTION_HTTP_STATUS[cause.type]);
      }
      return new WorkflowRejection(cause.type ?? 'UPDATE_FAILED', message, HttpStatus.CONFLICT);
    }
    return new WorkflowRejection(
      'UPDATE_FAILED',
      cause?.message ?? error.message,
      HttpStatus.CONFLICT,
    );
  }
  if (error instanceof WorkflowNotFoundError) {
    return new HttpException(`任务季度 ${workflowId} 不存在`, HttpStatus.NOT_FOUND);
  }
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return new HttpException(
      '工作流暂时无法响应，请稍后用同一 Idempotency-Key 重试',
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
  return null;
}

/** The answer when the workflow exists but has completed: it takes no more updates. */
export function closedWorkflowError(workflowId: string): HttpException {
  return new WorkflowRejection(
    'WORKFLOW_CLOSED',
    `任务季度 ${workflowId} 的工作流已结束，不再接受操作`,
    HttpStatus.CONFLICT,
  );
}
