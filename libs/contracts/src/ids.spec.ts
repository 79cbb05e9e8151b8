import { parseTaskQuarterWorkflowId, taskQuarterWorkflowId } from './ids';

describe('task-quarter workflow ids', () => {
  it('derives the id from plan, task and quarter and parses it back', () => {
    const id = taskQuarterWorkflowId('2017-jianghai', '36.1', 2);
    expect(id).toBe('tq:2017-jianghai:36.1:Q2');
    expect(parseTaskQuarterWorkflowId(id)).toEqual({
      planId: '2017-jianghai',
      taskCode: '36.1',
      quarter: 2,
    });
  });

  it('refuses parts that would make the id ambiguous', () => {
    expect(() => taskQuarterWorkflowId('a:b', '1', 1)).toThrow(/plan id/);
    expect(() => taskQuarterWorkflowId('p', '', 1)).toThrow(/task code/);
    expect(() => taskQuarterWorkflowId('p', '1', 5)).toThrow(/quarter/);
  });

  it('returns null for ids that are not task-quarters', () => {
    expect(parseTaskQuarterWorkflowId('tq:p:1:Q5')).toBeNull();
    expect(parseTaskQuarterWorkflowId('other:p:1:Q1')).toBeNull();
  });
});
