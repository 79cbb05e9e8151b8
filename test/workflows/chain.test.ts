import { reviewAsOfficeUpdate, submitReportUpdate, decideAsHeadUpdate } from '@duban/contracts';
import {
  type Harness,
  head,
  makeInput,
  office,
  queryState,
  settled,
  staff,
  startHarness,
  startTaskQuarter,
  UNITS,
} from './support/harness';

jest.setTimeout(60_000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('the reporting chain', () => {
  it('closes after three units report, their heads approve and the office approves', async () => {
    const now = await h.env.currentTimeMs();
    const { workflowId, input } = makeInput(now);
    const handle = await startTaskQuarter(h.env, workflowId, input);

    for (const unit of UNITS) {
      await handle.executeUpdate(submitReportUpdate, {
        args: [
          {
            actor: staff(unit.code),
            unitCode: unit.code,
            status: 'completed',
            summary: `${unit.name}已完成`,
          },
        ],
      });
    }
    for (const unit of UNITS.slice(0, 2)) {
      await handle.executeUpdate(decideAsHeadUpdate, {
        args: [
          { actor: head(unit.code), unitCode: unit.code, decision: 'approve', comment: '同意' },
        ],
      });
    }
    expect((await queryState(handle)).phase).toBe('reporting');
    const last = await handle.executeUpdate(decideAsHeadUpdate, {
      args: [{ actor: head('cgj'), unitCode: 'cgj', decision: 'approve', comment: '' }],
    });
    expect(last.phase).toBe('office_review');
    const closed = await handle.executeUpdate(reviewAsOfficeUpdate, {
      args: [{ actor: office, decision: 'approve', comment: '办结' }],
    });
    expect(closed.phase).toBe('closed');
    expect(closed.lamp).toBe('closed');

    const final = await handle.result();
    expect(final.phase).toBe('closed');
    expect(final.closedAt).not.toBeNull();
    const desc = await handle.describe();
    console.log(desc.typedSearchAttributes);
    await settled(h, handle, (s) => s.phase === 'closed', 'closed');
  });
});
