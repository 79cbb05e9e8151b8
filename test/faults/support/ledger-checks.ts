import type { Client } from '@temporalio/client';
import { getStateQuery, type TaskQuarterState } from '@duban/contracts';
import type { ActionOutcome } from './actions';
import { eventually } from './processes';

export type Sql = <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;

/** Markers look like `FXab12cd-17`: the run's tag and a counter, unique per planned action. */
const MARKER = /FX[0-9a-z]+-\d+/g;

function markersIn(texts: Iterable<string | null | undefined>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const m of (text ?? '').match(MARKER) ?? []) counts.set(m, (counts.get(m) ?? 0) + 1);
  }
  return counts;
}

/** What a check found; every list empty means nothing was lost, doubled or let through. */
export interface Verdict {
  actionsChecked: number;
  workflowsChecked: number;
  /** Accepted, but missing from the workflow state or from Postgres. */
  lost: string[];
  /** Present more than once. */
  duplicated: string[];
  /** Present although the API refused it (or never answered it). */
  appliedWithoutAcceptance: string[];
  /** Postgres disagrees with the workflow state after convergence. */
  projectionMismatches: string[];
  /** Notices: duplicated keys, or a notice in one place and not the other. */
  noticeProblems: string[];
  states: Map<string, TaskQuarterState>;
}

export function verdictProblems(v: Verdict): string[] {
  return [
    ...v.lost.map((m) => `lost: ${m}`),
    ...v.duplicated.map((m) => `duplicated: ${m}`),
    ...v.appliedWithoutAcceptance.map((m) => `applied without acceptance: ${m}`),
    ...v.projectionMismatches.map((m) => `projection: ${m}`),
    ...v.noticeProblems.map((m) => `notice: ${m}`),
  ];
}

export async function queryState(temporal: Client, id: string): Promise<TaskQuarterState> {
  return temporal.workflow.getHandle(id).query(getStateQuery);
}

/**
 * Checks every outcome against the workflow state (the query) and Postgres (the projection, once it
 * has caught up with the state's seq): each accepted action exactly once in both, no refused one.
 */
export async function verifyLedger(
  temporal: Client,
  sql: Sql,
  outcomes: readonly ActionOutcome[],
  workflowIds: readonly string[],
  convergeTimeoutMs = 180_000,
): Promise<Verdict> {
  const states = new Map<string, TaskQuarterState>();
  for (const id of workflowIds) {
    states.set(
      id,
      await eventually(() => queryState(temporal, id), {
        timeoutMs: convergeTimeoutMs,
        what: `the state of ${id}`,
      }),
    );
  }

  // The projection converges when its seq reaches the state's.
  await eventually(
    async () => {
      const rows = await sql<{ id: string; seq: number }>(
        'SELECT id, seq FROM task_quarter WHERE id = ANY($1)',
        [workflowIds],
      );
      const seqs = new Map(rows.map((r) => [r.id, Number(r.seq)]));
      return workflowIds.every((id) => seqs.get(id) === states.get(id)!.seq) ? true : undefined;
    },
    { timeoutMs: convergeTimeoutMs, what: 'the projection to reach the workflow seq' },
  ).catch(() => undefined); // a lagging projection is reported below as a mismatch

  const stateTexts: string[] = [];
  for (const state of states.values()) {
    for (const unit of state.units) for (const r of unit.reports) stateTexts.push(r.summary);
    for (const d of state.decisions) stateTexts.push(d.comment);
    for (const c of state.deadlineHistory) stateTexts.push(c.reason);
  }
  const inState = markersIn(stateTexts);

  const pgTexts = [
    ...(
      await sql<{ t: string }>(
        'SELECT summary AS t FROM report_version WHERE task_quarter_id = ANY($1)',
        [workflowIds],
      )
    ).map((r) => r.t),
    ...(
      await sql<{ t: string }>(
        'SELECT comment AS t FROM decision WHERE task_quarter_id = ANY($1)',
        [workflowIds],
      )
    ).map((r) => r.t),
    ...(
      await sql<{ t: string }>(
        'SELECT reason AS t FROM deadline_change WHERE task_quarter_id = ANY($1)',
        [workflowIds],
      )
    ).map((r) => r.t),
  ];
  const inPg = markersIn(pgTexts);

  const verdict: Verdict = {
    actionsChecked: outcomes.length,
    workflowsChecked: workflowIds.length,
    lost: [],
    duplicated: [],
    appliedWithoutAcceptance: [],
    projectionMismatches: [],
    noticeProblems: [],
    states,
  };
  const accepted = new Set<string>();
  for (const o of outcomes) {
    const s = inState.get(o.marker) ?? 0;
    const p = inPg.get(o.marker) ?? 0;
    const what = `${o.kind} ${o.marker} on ${o.workflowId} (key ${o.key}, ${o.attempts} attempts, HTTP ${o.status})`;
    if (o.accepted) {
      accepted.add(o.marker);
      if (s === 0) verdict.lost.push(`${what}: not in the workflow state`);
      if (p === 0) verdict.lost.push(`${what}: not in Postgres`);
      if (s > 1) verdict.duplicated.push(`${what}: ${s}× in the workflow state`);
      if (p > 1) verdict.duplicated.push(`${what}: ${p}× in Postgres`);
    } else if (s > 0 || p > 0) {
      verdict.appliedWithoutAcceptance.push(`${what}: state ${s}, Postgres ${p}`);
    }
  }
  const known = new Set(outcomes.map((o) => o.marker));
  for (const [m] of inState) {
    if (!known.has(m)) verdict.appliedWithoutAcceptance.push(`${m}: in the state, never sent`);
  }

  for (const [id, state] of states) {
    const [row] = await sql<{ seq: number; phase: string; lamp: string }>(
      'SELECT seq, phase, lamp FROM task_quarter WHERE id = $1',
      [id],
    );
    if (!row) {
      verdict.projectionMismatches.push(`${id}: no task_quarter row`);
      continue;
    }
    if (Number(row.seq) !== state.seq || row.phase !== state.phase || row.lamp !== state.lamp) {
      verdict.projectionMismatches.push(
        `${id}: Postgres seq ${row.seq}/${row.phase}/${row.lamp}, workflow seq ${state.seq}/${state.phase}/${state.lamp}`,
      );
    }
    const events = await sql<{ seq: number }>(
      'SELECT seq FROM audit_event WHERE task_quarter_id = $1 ORDER BY seq',
      [id],
    );
    const pgSeqs = events.map((e) => Number(e.seq)).join(',');
    const stateSeqs = state.events.map((e) => e.seq).join(',');
    if (pgSeqs !== stateSeqs) {
      verdict.projectionMismatches.push(
        `${id}: audit events in Postgres [${pgSeqs}] differ from the state's [${stateSeqs}]`,
      );
    }
    const keys = state.notices.map((n) => n.key);
    const uniqueKeys = new Set(keys);
    if (uniqueKeys.size !== keys.length) {
      verdict.noticeProblems.push(`${id}: notice keys repeat in the state: ${keys.join(', ')}`);
    }
    const noticeRows = await sql<{ key: string }>(
      'SELECT key FROM notice WHERE task_quarter_id = $1',
      [id],
    );
    const pgKeys = new Set(noticeRows.map((n) => n.key));
    for (const k of uniqueKeys) {
      if (!pgKeys.has(k)) verdict.noticeProblems.push(`${id}: notice ${k} not in Postgres`);
    }
    for (const k of pgKeys) {
      if (!uniqueKeys.has(k)) verdict.noticeProblems.push(`${id}: notice ${k} only in Postgres`);
    }
    const created = state.events.filter((e) => e.type === 'notice_created').length;
    if (created !== keys.length) {
      verdict.noticeProblems.push(
        `${id}: ${created} notice_created events for ${keys.length} notices`,
      );
    }
  }
  return verdict;
}
