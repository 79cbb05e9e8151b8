import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { History } from '@temporalio/common/lib/proto-utils';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import type { TaskQuarterInput, TaskQuarterSnapshot } from '@duban/contracts';
import { historyFromJson, historyToJsonText } from './proto-json';

export type { History };
export type HistoryEvent = NonNullable<History['events']>[number];
type Payloads = {
  payloads?: Array<Parameters<typeof defaultPayloadConverter.fromPayload>[0]> | null;
} | null;

/** One run of a task-quarter workflow and its history. */
export interface RunHistory {
  workflowId: string;
  runId: string;
  history: History;
}

export class HistoryFormatError extends Error {}

export function eventsOf(history: History): HistoryEvent[] {
  return history.events ?? [];
}

export function eventId(event: HistoryEvent): number {
  return Number(event.eventId ?? 0);
}

export function eventTime(event: HistoryEvent): string | null {
  return optionalTsToDate(event.eventTime)?.toISOString() ?? null;
}

/** The event's type without the proto prefix, e.g. `WorkflowExecutionUpdateAccepted`. */
export function eventTypeName(event: HistoryEvent): string {
  const attrs = Object.keys(event).find(
    (k) => k.endsWith('EventAttributes') && event[k as keyof HistoryEvent],
  );
  return attrs
    ? attrs.replace(/EventAttributes$/, '').replace(/^./, (c) => c.toUpperCase())
    : 'Unknown';
}

/** Decodes a payload list with the default converter (the one the workflow and client use). */
export function decodePayloads(payloads: Payloads | undefined): unknown[] {
  return (payloads?.payloads ?? []).map((p) => defaultPayloadConverter.fromPayload<unknown>(p));
}

function startedAttributes(history: History) {
  const first = eventsOf(history)[0];
  const attrs = first?.workflowExecutionStartedEventAttributes;
  if (!attrs)
    throw new HistoryFormatError('the history does not begin with WorkflowExecutionStarted');
  return attrs;
}

/** The workflow input of a run (facts, plus the carried-over state after continue-as-new). */
export function runInput(history: History): TaskQuarterInput | null {
  const [input] = decodePayloads(startedAttributes(history).input);
  return (input as TaskQuarterInput | undefined) ?? null;
}

/** The previous run of a continued run, or null for the first run of a chain. */
export function previousRunId(history: History): string | null {
  return startedAttributes(history).continuedExecutionRunId || null;
}

/**
 * Every `recordTaskQuarter` snapshot of a run, in order, and whether its activity completed.
 * The snapshot is the whole state the workflow projected, so the last one is what Postgres must hold.
 */
export function snapshotsOf(
  history: History,
): Array<{ eventId: number; snapshot: TaskQuarterSnapshot; completed: boolean }> {
  const scheduled = new Map<number, TaskQuarterSnapshot>();
  const completed = new Set<number>();
  for (const event of eventsOf(history)) {
    const s = event.activityTaskScheduledEventAttributes;
    if (s && s.activityType?.name === 'recordTaskQuarter') {
      const [snapshot] = decodePayloads(s.input);
      scheduled.set(eventId(event), snapshot as TaskQuarterSnapshot);
    }
    const c = event.activityTaskCompletedEventAttributes;
    if (c) completed.add(Number(c.scheduledEventId ?? 0));
  }
  return [...scheduled.entries()].map(([id, snapshot]) => ({
    eventId: id,
    snapshot,
    completed: completed.has(id),
  }));
}

/** The workflow id a history belongs to: from its snapshots, else from its input facts. */
export function workflowIdOf(history: History): string | null {
  const snapshots = snapshotsOf(history);
  if (snapshots.length) return snapshots[snapshots.length - 1].snapshot.workflowId;
  const input = runInput(history);
  return (
    input?.carriedOver?.workflowId ??
    (input ? `tq:${input.planId}:${input.taskCode}:Q${input.quarter}` : null)
  );
}

export function runIdOf(history: History): string {
  return (
    startedAttributes(history).originalExecutionRunId ||
    startedAttributes(history).firstExecutionRunId ||
    'unknown'
  );
}

/**
 * Reads what `temporal workflow show --output json` writes (`{"events": […]}`), an array of such
 * histories (one per run, oldest first), or the `histories` of an audit bundle.
 */
export function parseHistoryJson(text: string, fallbackWorkflowId?: string): RunHistory[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new HistoryFormatError(`not JSON: ${(error as Error).message}`);
  }
  const raw: unknown[] = Array.isArray(parsed)
    ? parsed
    : isRecord(parsed) && Array.isArray(parsed.histories)
      ? (parsed.histories as unknown[]).map((h): unknown =>
          isRecord(h) && 'history' in h ? h.history : h,
        )
      : [parsed];
  return raw.map((item, i) => {
    if (!isRecord(item) || !Array.isArray(item.events)) {
      throw new HistoryFormatError(`history ${i + 1}: expected an object with an "events" array`);
    }
    let history: History;
    try {
      history = historyFromJson(item as { events: Array<Record<string, unknown>> });
    } catch (error) {
      throw new HistoryFormatError(`history ${i + 1}: ${(error as Error).message}`);
    }
    const workflowId = workflowIdOf(history) ?? fallbackWorkflowId ?? 'unknown';
    return { workflowId, runId: runIdOf(history), history };
  });
}

/** The history as the JSON object the temporal CLI writes. */
export function historyJson(history: History): Record<string, unknown> {
  return JSON.parse(historyToJsonText(history)) as Record<string, unknown>;
}

/** Every run of a task-quarter, oldest first, following the continue-as-new chain backwards. */
export async function fetchRunHistories(client: Client, workflowId: string): Promise<RunHistory[]> {
  const runs: RunHistory[] = [];
  let runId: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    const handle = client.workflow.getHandle(workflowId, runId);
    const history = await handle.fetchHistory();
    const id = runId ?? runIdOf(history);
    if (seen.has(id)) break;
    seen.add(id);
    runs.unshift({ workflowId, runId: id, history });
    const previous = previousRunId(history);
    if (!previous) break;
    runId = previous;
  }
  return runs;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
