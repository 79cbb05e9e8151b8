import { REJECTION } from '@duban/contracts';
import { checkCapacity, STATE_BUDGET_BYTES, stateBytes, utf8Length } from './capacity';
import { taskQuarterState, unitState } from './task-quarter-state.spec-helpers';

describe('utf8Length', () => {
  it('counts bytes as UTF-8 encodes them', () => {
    for (const text of [
      '',
      'abc',
      'é',
      '督办',
      '𠮷',
      'a督é𠮷\n',
      '\ud800',
      'x\udc00y',
      '\ud800z',
    ]) {
      expect(utf8Length(text)).toBe(Buffer.byteLength(text, 'utf8'));
    }
  });
});

describe('checkCapacity', () => {
  const report = (summary: string) => ({ unitCode: 'zjsw', status: 'completed', summary });

  it('accepts a change that fits the budget', () => {
    expect(checkCapacity(taskQuarterState(), report('已完成'))).toBeNull();
  });

  it('refuses a change that would take the state past the budget, saying how full it is', () => {
    const state = taskQuarterState();
    const base = stateBytes(state);
    // Each CJK character is 3 bytes, and the input counts twice.
    const fits = '督'.repeat(Math.floor((STATE_BUDGET_BYTES - base - 200) / 6));
    expect(checkCapacity(state, report(fits))).toBeNull();
    const rejection = checkCapacity(state, report(`${fits}${'督'.repeat(100)}`));
    expect(rejection?.code).toBe(REJECTION.PAYLOAD_TOO_LARGE);
    expect(rejection?.message).toContain(`${base} of ${STATE_BUDGET_BYTES} bytes are used`);
  });

  it('refuses even a small change once the state itself is full', () => {
    const state = taskQuarterState({ units: [unitState('zjsw', 'awaiting_head')] });
    state.units[0].reports.push({
      version: 1,
      status: 'completed',
      summary: 'x'.repeat(STATE_BUDGET_BYTES),
      explanation: null,
      figures: null,
      submittedBy: { id: 'u', name: 'n', role: 'staff', unitCode: 'zjsw' },
      submittedAt: '2026-01-01T00:00:00.000Z',
      superseded: false,
    });
    expect(checkCapacity(state, { comment: '同意' })?.code).toBe(REJECTION.PAYLOAD_TOO_LARGE);
  });
});
