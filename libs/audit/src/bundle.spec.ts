import { buildBundle, serializeBundle, verifyBundle } from './bundle';
import { compareProjection, type ProjectionRows } from './projection';
import type { TimelineItem } from './timeline';

const rows = (): ProjectionRows => ({
  task_quarter: [{ id: 'tq:p:1:Q1', phase: 'closed', seq: 3 }],
  task_quarter_unit: [],
  report_version: [{ unit_code: 'waihai', version: 1, summary: '已完成' }],
  decision: [{ seq: 2, comment: '同意' }],
  deadline_change: [],
  notice: [],
  audit_event: [],
});

const item = (index: number, text: string): TimelineItem => ({
  index,
  runId: 'r1',
  eventId: index * 5,
  at: '2017-03-01T00:00:00.000Z',
  type: 'report_submitted',
  actor: null,
  seq: index,
  text,
  detail: {},
});

function bundleText(): string {
  const bundle = buildBundle({
    workflowId: 'tq:p:1:Q1',
    runs: [],
    projection: rows(),
    timeline: [item(1, '提交第1版'), item(2, '提交第2版'), item(3, '办结')],
    exportedAt: new Date('2017-04-02T00:00:00Z'),
  });
  return serializeBundle(bundle);
}

describe('audit bundle', () => {
  it('verifies as written', () => {
    expect(verifyBundle(bundleText())).toMatchObject({ valid: true, problems: [] });
  });

  it('names the timeline item whose byte changed', () => {
    const text = bundleText().replace('提交第2版', '提交第3版');
    const result = verifyBundle(text);
    expect(result.valid).toBe(false);
    expect(result.problems).toEqual([
      expect.objectContaining({
        part: 'timeline',
        ref: 'timeline #2 report_submitted seq=2 (run r1 event 10)',
      }),
    ]);
  });

  it('names a changed projection row and a changed manifest', () => {
    expect(verifyBundle(bundleText().replace('"同意"', '"同患"')).problems[0]).toMatchObject({
      part: 'projection',
      ref: 'decision seq=2',
    });
    const t = bundleText();
    const at = t.indexOf('"exportedAt": "2017') + 16;
    expect(verifyBundle(t.slice(0, at) + '8' + t.slice(at + 1)).valid).toBe(false);
  });

  it('reports a removed record and whitespace added outside records', () => {
    const parsed = JSON.parse(bundleText()) as { timeline: unknown[] };
    parsed.timeline.pop();
    expect(verifyBundle(JSON.stringify(parsed)).problems.map((p) => p.message)).toContain(
      'timeline #3 report_submitted seq=3 (run r1 event 15): chain entry without a record (removed)',
    );
    expect(verifyBundle(bundleText().replace('{\n', '{\n ')).problems[0].part).toBe('file');
  });
});

describe('compareProjection', () => {
  it('reports changed, missing and added rows item by item', () => {
    const actual = rows();
    actual.decision[0].comment = '改过';
    actual.report_version = [];
    actual.notice = [{ key: 'forged' }];
    expect(compareProjection(rows(), actual)).toEqual([
      expect.objectContaining({
        table: 'report_version',
        kind: 'missing',
        key: 'unit_code=waihai,version=1',
      }),
      expect.objectContaining({
        table: 'decision',
        kind: 'changed',
        key: 'seq=2',
        fields: [{ field: 'comment', expected: '同意', actual: '改过' }],
      }),
      expect.objectContaining({ table: 'notice', kind: 'added', key: 'key=forged' }),
    ]);
  });
});
