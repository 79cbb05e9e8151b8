import type { HttpException } from '@nestjs/common';
import {
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { REJECTION, REJECTION_HTTP_STATUS } from '@duban/contracts';
import { closedWorkflowError, httpErrorForUpdateFailure } from './workflow-errors';

const ID = 'tq:2017-jianghai:36.1:Q2';

function rejected(type: string, message: string): WorkflowUpdateFailedError {
  return new WorkflowUpdateFailedError(
    'Workflow Update failed',
    ApplicationFailure.nonRetryable(message, type),
  );
}

describe('httpErrorForUpdateFailure', () => {
  it.each(Object.values(REJECTION))(
    'maps the rejection %s to its status with the workflow message',
    (code) => {
      const error = httpErrorForUpdateFailure(rejected(code, `workflow says ${code}`), ID);
      expect(error?.getStatus()).toBe(REJECTION_HTTP_STATUS[code]);
      expect(error?.getResponse()).toEqual({ message: `workflow says ${code}`, code });
    },
  );

  it('answers 409 for an ApplicationFailure of an unknown type', () => {
    const error = httpErrorForUpdateFailure(rejected('SomethingElse', '状态冲突'), ID);
    expect(error?.getStatus()).toBe(409);
    expect(error?.getResponse()).toEqual({ message: '状态冲突', code: 'SomethingElse' });
  });

  it('answers 404 for an unknown workflow and 503 for a timed-out update call', () => {
    expect(
      httpErrorForUpdateFailure(
        new WorkflowNotFoundError('not found', ID, undefined),
        ID,
      )?.getStatus(),
    ).toBe(404);
    expect(
      httpErrorForUpdateFailure(
        new WorkflowUpdateRPCTimeoutOrCancelledError('timeout'),
        ID,
      )?.getStatus(),
    ).toBe(503);
  });

  it('leaves unknown errors alone (they become logged 500s)', () => {
    expect(httpErrorForUpdateFailure(new Error('boom'), ID)).toBeNull();
  });

  it('describes a closed workflow as a conflict', () => {
    const error: HttpException = closedWorkflowError(ID);
    expect(error.getStatus()).toBe(409);
    expect(error.getResponse()).toMatchObject({ code: 'WORKFLOW_CLOSED' });
  });
});
