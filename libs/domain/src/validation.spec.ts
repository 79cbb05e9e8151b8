import { REJECTION, type Actor, type TaskQuarterState } from '@duban/contracts';
import { taskQuarterState, unitState } from './task-quarter-state.spec-helpers';
import {
  validateDecideAsHead,
  validateMoveDeadline,
  validateReviewAsOffice,
  validateSubmitReport,
} from './validation';

const staff: Actor = { id: 'u1', name: '经办人', role: 'staff', unitCode: 'a' };
const head: Actor = { id: 'u2', name: '负责人', role: 'head', unitCode: 'a' };
const office: Actor = { id: 'u3', name: '区督查室', role: 'office', unitCode: 'supervision' };
const now = new Date('2017-05-01T00:00:00Z');

function state(
  unitStatus: 'awaiting_report' | 'awaiting_head' | 'head_approved',
): TaskQuarterState {
  return taskQuarterState(
    {
      phase: unitStatus === 'head_approved' ? 'office_review' : 'reporting',
      units: [unitState('a', unitStatus, null, '住建水务局')],
      officeReviewRound: 1,
      seq: 1,
    },
    { units: [{ code: 'a', name: '住建水务局', lead: true }] },
  );
}

describe('update validators', () => {
  it('accept well-formed actions', () => {
    expect(
      validateSubmitReport(
        state('awaiting_report'),
        { actor: staff, unitCode: 'a', status: 'completed', summary: '已完成' },
        now,
      ),
    ).toBeNull();
    expect(
      validateDecideAsHead(state('awaiting_head'), {
        actor: head,
        unitCode: 'a',
        decision: 'approve',
        comment: '',
      }),
    ).toBeNull();
    expect(
      validateReviewAsOffice(state('head_approved'), {
        actor: office,
        decision: 'approve',
        comment: '办结',
      }),
    ).toBeNull();
  });

  // Postgres text cannot hold U+0000: an accepted NUL would wedge the projection for good.
  it('refuse the NUL character anywhere in the text of every action', () => {
    const nul = 'a\u0000b';
    const rejections = [
      validateSubmitReport(
        state('awaiting_report'),
        { actor: staff, unitCode: 'a', status: 'completed', summary: nul },
        now,
      ),
      validateSubmitReport(
        state('awaiting_report'),
        {
          actor: staff,
          unitCode: 'a',
          status: 'partial',
          summary: '一半',
          explanation: '雨季',
          figures: { [nul]: 1 },
        },
        now,
      ),
      validateDecideAsHead(state('awaiting_head'), {
        actor: head,
        unitCode: 'a',
        decision: 'return',
        comment: nul,
      }),
      validateReviewAsOffice(state('head_approved'), {
        actor: office,
        decision: 'return',
        comment: nul,
        units: ['a'],
      }),
      validateMoveDeadline(
        state('awaiting_report'),
        { actor: office, deadline: '2017-07-15T00:00:00+08:00', reason: nul },
        now,
      ),
    ];
    for (const rejection of rejections) {
      expect(rejection?.code).toBe(REJECTION.INVALID_PAYLOAD);
      expect(rejection?.message).toMatch(/NUL/);
    }
  });

  it('name the missing explanation and the wrong role', () => {
    expect(
      validateSubmitReport(
        state('awaiting_report'),
        { actor: staff, unitCode: 'a', status: 'partial', summary: '一半' },
        now,
      )?.code,
    ).toBe(REJECTION.EXPLANATION_REQUIRED);
    expect(
      validateSubmitReport(
        state('awaiting_report'),
        { actor: head, unitCode: 'a', status: 'completed', summary: '好' },
        now,
      )?.code,
    ).toBe(REJECTION.ROLE_NOT_ALLOWED);
  });
});
