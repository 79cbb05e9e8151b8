import { Connection, Client } from '@temporalio/client';
import { quarterOf } from '@duban/domain';
import { PlanActivationService, startTestStack, type TestStack } from '../../support/stack';
import { ActionClient } from './actions';
import { DubanProcesses, ensureBuilt } from './duban-processes';
import { eventually } from './processes';
import type { TaskQuarterUnderTest } from './stream';

export const FAULTS_JWT_SECRET = 'faults-secret-for-duban-0123456789abcdef';

export interface FaultHarness {
  stack: TestStack;
  processes: DubanProcesses;
  temporal: Client;
  client: ActionClient;
  planId: string;
  quarter: number;
  stop(): Promise<void>;
}

/**
 * For `npm test`: a fresh database and task queue on the services `npm test` started (via
 * test/support/stack.ts, without an in-process worker), the seed plan activated for the current
 * quarter, and a worker and an API as child processes from dist/.
 */
export async function startShortHarness(): Promise<FaultHarness> {
  await ensureBuilt();
  const { year, quarter } = quarterOf(new Date());
  const stack = await startTestStack({ seedYear: year, worker: false });
  const planId = stack.planId!;
  await stack.app.get(PlanActivationService).activate(planId, quarter);
  const processes = await DubanProcesses.create({
    DATABASE_URL: stack.env.DATABASE_URL,
    TEMPORAL_ADDRESS: stack.env.TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: stack.env.TEMPORAL_NAMESPACE,
    TEMPORAL_TASK_QUEUE: stack.env.TEMPORAL_TASK_QUEUE,
    DISTRICT_CODE: stack.env.DISTRICT_CODE,
    JWT_SECRET: FAULTS_JWT_SECRET,
  });
  try {
    await processes.startWorker();
    await processes.startApi();
  } catch (error) {
    await processes.stop();
    await stack.stop();
    throw error;
  }
  const connection = await Connection.connect({ address: stack.env.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: stack.env.TEMPORAL_NAMESPACE });
  const client = new ActionClient(() => processes.baseUrl, stack.env.DEMO_PASSWORD);
  return {
    stack,
    processes,
    temporal,
    client,
    planId,
    quarter,
    async stop() {
      await processes.stop();
      await connection.close();
      await stack.stop();
    },
  };
}

interface TaskQuarterRow {
  id: string;
  phase: string;
  target: string | null;
  units: Array<{ code: string }>;
}

/** Task-quarters open for reporting, as the API lists them once the worker has projected them. */
export async function reportingTaskQuarters(
  client: ActionClient,
  baseUrl: string,
  planId: string,
  quarter: number,
  count: number,
  maxUnits = 3,
): Promise<TaskQuarterUnderTest[]> {
  const token = await client.token('office');
  return eventually(
    async () => {
      const res = await fetch(
        `${baseUrl}/api/plans/${encodeURIComponent(planId)}/task-quarters?quarter=${quarter}&pageSize=500`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      if (!res.ok) return undefined;
      const page = (await res.json()) as { items: TaskQuarterRow[] };
      const open = page.items.filter(
        (t) =>
          t.phase === 'reporting' &&
          t.target !== null &&
          t.units.length > 0 &&
          t.units.length <= maxUnits,
      );
      if (open.length < count) return undefined;
      return open.slice(0, count).map((t) => ({ id: t.id, units: t.units.map((u) => u.code) }));
    },
    { timeoutMs: 180_000, what: `${count} task-quarters open for reporting` },
  );
}
