import { randomBytes } from 'node:crypto';
import { type ActionClient, inParallel, type ActionOutcome, type PlannedAction } from './actions';

export interface TaskQuarterUnderTest {
  id: string;
  units: string[];
}

/** Hands out unique markers for one run: `FX<tag>-<n>`. */
export class Markers {
  readonly tag = randomBytes(3).toString('hex');
  private n = 0;
  next(): string {
    this.n += 1;
    return `FX${this.tag}-${this.n}`;
  }
}

const tqPath = (id: string, rest: string): string =>
  `/api/task-quarters/${encodeURIComponent(id)}${rest}`;

export function submission(
  markers: Markers,
  tq: string,
  unit: string,
  status: 'completed' | 'partial',
): PlannedAction {
  const marker = markers.next();
  return {
    kind: 'submit',
    workflowId: tq,
    unitCode: unit,
    username: `${unit}.staff`,
    path: tqPath(tq, '/submissions'),
    marker,
    body: {
      status,
      summary: `${marker} 已按计划推进，完成阶段目标。`,
      ...(status === 'completed' ? {} : { explanation: `${marker} 资金到位滞后，下月补齐。` }),
    },
  };
}

export function headDecision(
  markers: Markers,
  tq: string,
  unit: string,
  decision: 'approve' | 'return',
): PlannedAction {
  const marker = markers.next();
  return {
    kind: 'head-decision',
    workflowId: tq,
    unitCode: unit,
    username: `${unit}.head`,
    path: tqPath(tq, `/units/${encodeURIComponent(unit)}/decision`),
    marker,
    body: { decision, comment: `${marker} ${decision === 'approve' ? '同意上报' : '请补充数据'}` },
  };
}

export function officeApproval(markers: Markers, tq: string): PlannedAction {
  const marker = markers.next();
  return {
    kind: 'office-review',
    workflowId: tq,
    username: 'office',
    path: tqPath(tq, '/review'),
    marker,
    body: { decision: 'approve', comment: `${marker} 审核通过` },
  };
}

export function deadlineMove(markers: Markers, tq: string, deadline: Date): PlannedAction {
  const marker = markers.next();
  return {
    kind: 'deadline',
    workflowId: tq,
    username: 'office',
    path: tqPath(tq, '/deadline'),
    marker,
    body: { deadline: deadline.toISOString(), reason: `${marker} 故障演练调整时限` },
  };
}

/**
 * The reporting chain for every unit of every task-quarter, in rounds whose order matters within
 * a task-quarter: first report (partial), head returns it, second report (completed), head approves.
 */
export function reportingRounds(markers: Markers, tqs: TaskQuarterUnderTest[]): PlannedAction[][] {
  const each = (f: (tq: string, unit: string) => PlannedAction): PlannedAction[] =>
    tqs.flatMap((tq) => tq.units.map((u) => f(tq.id, u)));
  return [
    each((tq, u) => submission(markers, tq, u, 'partial')),
    each((tq, u) => headDecision(markers, tq, u, 'return')),
    each((tq, u) => submission(markers, tq, u, 'completed')),
    each((tq, u) => headDecision(markers, tq, u, 'approve')),
  ];
}

/**
 * Sends the rounds through `client` (`concurrency` requests at a time) and calls `onAccepted`
 * after each accepted action with the running count, so a fault can fire mid-stream.
 */
export async function runStream(
  client: ActionClient,
  rounds: PlannedAction[][],
  { concurrency = 3, onAccepted }: { concurrency?: number; onAccepted?: (n: number) => void } = {},
): Promise<ActionOutcome[]> {
  const outcomes: ActionOutcome[] = [];
  let accepted = 0;
  for (const round of rounds) {
    await inParallel(round, concurrency, async (action) => {
      const outcome = await client.perform(action);
      outcomes.push(outcome);
      if (outcome.accepted) {
        accepted += 1;
        onAccepted?.(accepted);
      }
    });
  }
  return outcomes;
}
