import { execFile } from 'node:child_process';
import { join } from 'node:path';
import {
  decideAsHeadUpdate,
  getStateQuery,
  reviewAsOfficeUpdate,
  submitReportUpdate,
  type Actor,
} from '@duban/contracts';
import { eventually, type TestStack } from './stack';

const ROOT = join(__dirname, '..', '..');

interface UserRow {
  id: string;
  display_name: string;
  role: Actor['role'];
  unit_code: string | null;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface TaskQuarterActions {
  /**
   * Runs `bin/duban …` against the stack's database and task queue and resolves with its exit code
   * and output (never rejects). `env` adds to or, with `undefined`, removes from its environment.
   */
  cli: (args: string[], env?: Record<string, string | undefined>) => Promise<CliResult>;
  /** The demo account `username` as a workflow actor. */
  actor: (username: string) => Promise<Actor>;
  /** Waits until Postgres holds the workflow's latest state. */
  projected: (id: string) => Promise<void>;
  /**
   * Each unit's staff submits a completed report (unless the unit already awaits its head) and
   * its head approves; returns the unit codes. `units` picks the units and their order (default:
   * the workflow's), `summary` the report's text (default `<code> 已完成`).
   */
  submitAndApprove: (
    id: string,
    options?: { units?: string[]; summary?: (code: string) => string },
  ) => Promise<string[]>;
  /** Every unit submits and its head approves; waits for the projection; returns the unit codes. */
  reportAndApprove: (id: string) => Promise<string[]>;
  /** Every unit reports and its head approves, the office approves; waits for the closed row. */
  close: (id: string) => Promise<void>;
}

/**
 * What the units and the office do to a task-quarter through its workflow, and the command line,
 * for the test stack `stack()` returns (read at each call, so it may be started in `beforeAll`).
 */
export function taskQuarterActions(stack: () => TestStack): TaskQuarterActions {
  function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
    const { env: stackEnv } = stack();
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: stackEnv.DATABASE_URL,
      TEMPORAL_ADDRESS: stackEnv.TEMPORAL_ADDRESS,
      TEMPORAL_NAMESPACE: stackEnv.TEMPORAL_NAMESPACE,
      TEMPORAL_TASK_QUEUE: stackEnv.TEMPORAL_TASK_QUEUE,
      DISTRICT_CODE: stackEnv.DISTRICT_CODE,
      NODE_ENV: 'test',
      ...env,
    };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [join(ROOT, 'bin', 'duban'), ...args],
        { env: childEnv, cwd: ROOT, maxBuffer: 64 << 20 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  async function actor(username: string): Promise<Actor> {
    const [u] = await stack().sql<UserRow>('SELECT * FROM app_user WHERE username = $1', [
      username,
    ]);
    if (!u) throw new Error(`no account ${username}`);
    return { id: u.id, name: u.display_name, role: u.role, unitCode: u.unit_code };
  }

  async function projected(id: string): Promise<void> {
    const state = await stack().temporal.workflow.getHandle(id).query(getStateQuery);
    await eventually(
      async () => {
        const [row] = await stack().sql<{ seq: number }>(
          'SELECT seq FROM task_quarter WHERE id = $1',
          [id],
        );
        return row && row.seq >= state.seq ? true : undefined;
      },
      { timeoutMs: 60_000, what: `the projection of ${id}` },
    );
  }

  async function submitAndApprove(
    id: string,
    {
      units,
      summary = (code: string) => `${code} 已完成`,
    }: { units?: string[]; summary?: (code: string) => string } = {},
  ): Promise<string[]> {
    const handle = stack().temporal.workflow.getHandle(id);
    const state = await handle.query(getStateQuery);
    const status = new Map(state.units.map((u) => [u.code, u.status]));
    const codes = units ?? state.units.map((u) => u.code);
    for (const code of codes) {
      if (status.get(code) !== 'awaiting_head') {
        await handle.executeUpdate(submitReportUpdate, {
          args: [
            {
              actor: await actor(`${code}.staff`),
              unitCode: code,
              status: 'completed',
              summary: summary(code),
            },
          ],
        });
      }
      await handle.executeUpdate(decideAsHeadUpdate, {
        args: [
          {
            actor: await actor(`${code}.head`),
            unitCode: code,
            decision: 'approve',
            comment: '同意',
          },
        ],
      });
    }
    return codes;
  }

  async function reportAndApprove(id: string): Promise<string[]> {
    const codes = await submitAndApprove(id);
    await projected(id);
    return codes;
  }

  async function close(id: string): Promise<void> {
    await submitAndApprove(id);
    const handle = stack().temporal.workflow.getHandle(id);
    await handle.executeUpdate(reviewAsOfficeUpdate, {
      args: [{ actor: await actor('office'), decision: 'approve', comment: '办结' }],
    });
    await handle.result();
    await projected(id);
  }

  return { cli, actor, projected, submitAndApprove, reportAndApprove, close };
}
