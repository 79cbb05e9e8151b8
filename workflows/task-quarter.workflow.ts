import {
  type Actor,
  type AuditEventType,
  type DecideAsHeadInput,
  decideAsHeadUpdate,
  DUBAN_LAMP,
  DUBAN_PLAN,
  DUBAN_QUARTER,
  DUBAN_STATUS,
  DUBAN_TASK,
  DUBAN_UNITS,
  getStateQuery,
  type MoveDeadlineInput,
  moveDeadlineUpdate,
  type ReviewAsOfficeInput,
  reviewAsOfficeUpdate,
  type SubmitReportInput,
  submitReportUpdate,
  type TaskQuarterActivities,
  type TaskQuarterFacts,
  type TaskQuarterInput,
  type TaskQuarterState,
  type TaskQuarterUpdateResult,
  type UnitState,
} from '@duban/contracts';
import {
  dueNotices,
  escalationLevelAt,
  lampAt,
  nextLadderInstant,
  type Rejection,
  checkCapacity,
  validateDecideAsHead,
  validateMoveDeadline,
  validateReviewAsOffice,
  validateSubmitReport,
} from '@duban/domain';
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';

/*
 * One workflow per task-quarter (DESIGN.md section 3): the reporting chain staff → unit head →
 * supervision office, and the escalation ladder on durable timers.
 *
 * Versioning: histories of real runs are replayed in CI (test/histories). Any change to what this
 * function does — the order or number of activity calls, timers, search attribute upserts, or the
 * decisions taken from state — must be guarded with `patched('<change-id>')` so old histories take
 * the old path, e.g.
 *
 *   if (patched('office-reminder-daily')) { ...new behaviour... } else { ...old behaviour... }
 *
 * and, once no open workflow can still take the old path, `deprecatePatch('<change-id>')`.
 * No patch is needed yet: this is the first version.
 */

const { recordTaskQuarter } = proxyActivities<TaskQuarterActivities>({
  startToCloseTimeout: '30 seconds',
  // The projection must land eventually: retry without a limit, backing off to once a minute.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

function startState(workflowId: string, facts: TaskQuarterFacts): TaskQuarterState {
  const units: UnitState[] = facts.units.map((u) => ({
    code: u.code,
    name: u.name,
    lead: u.lead,
    status: 'awaiting_report',
    latestVersion: 0,
    waitingSince: null,
    reports: [],
  }));
  return {
    workflowId,
    facts,
    phase: 'not_open',
    units,
    decisions: [],
    deadline: new Date(facts.deadline).toISOString(),
    deadlineHistory: [],
    lamp: 'green',
    escalationLevel: 0,
    officeReviewSince: null,
    officeReviewRound: 0,
    notices: [],
    events: [],
    seq: 0,
    closedAt: null,
  };
}

function factsOf(input: TaskQuarterInput): TaskQuarterFacts {
  const { carriedOver: _carriedOver, ...facts } = input;
  return { ...facts, opensAt: new Date(facts.opensAt).toISOString() };
}

/** Rejects an update: non-retryable, with the code as the failure type for the API to map. */
function guard(rejection: Rejection | null): void {
  if (rejection) throw ApplicationFailure.nonRetryable(rejection.message, rejection.code);
}

export async function taskQuarterWorkflow(input: TaskQuarterInput): Promise<TaskQuarterState> {
  const resumed = input.carriedOver !== undefined;
  const state: TaskQuarterState =
    input.carriedOver ?? startState(workflowInfo().workflowId, factsOf(input));
  const { facts } = state;

  const now = (): Date => new Date(Date.now());
  /** Set by every accepted update so the ladder loop re-plans at once. */
  let wakeUp = false;
  let projectedSeq = 0;
  let scheduledProjection: { seq: number; done: Promise<void> } | null = null;
  let upserted: { phase: string; lamp: string } | null = null;

  const record = (type: AuditEventType, actor: Actor | null, detail: Record<string, unknown>) => {
    state.seq += 1;
    state.events.push({ seq: state.seq, at: now().toISOString(), actor, type, detail });
    return state.seq;
  };

  const syncSearchAttributes = (): void => {
    if (upserted && upserted.phase === state.phase && upserted.lamp === state.lamp) return;
    upsertSearchAttributes([
      ...(upserted
        ? []
        : [
            { key: DUBAN_PLAN, value: facts.planId },
            { key: DUBAN_TASK, value: facts.taskCode },
            { key: DUBAN_QUARTER, value: facts.quarter },
            { key: DUBAN_UNITS, value: facts.units.map((u) => u.code) },
          ]),
      { key: DUBAN_STATUS, value: state.phase },
      { key: DUBAN_LAMP, value: state.lamp },
    ]);
    upserted = { phase: state.phase, lamp: state.lamp };
  };

  /** Changes that follow from the clock alone: reporting opens, the lamp changes. */
  const refresh = (): void => {
    const t = now();
    if (state.phase === 'not_open' && t.getTime() >= new Date(facts.opensAt).getTime()) {
      state.phase = 'reporting';
      record('reporting_opened', null, {});
    }
    const lamp = lampAt(state, t);
    if (lamp !== state.lamp) {
      record('lamp_changed', null, { from: state.lamp, to: lamp });
      state.lamp = lamp;
    }
    syncSearchAttributes();
  };

  /** Creates the notices due now; their keys make a second wake-up create nothing. */
  const climbLadder = (): void => {
    const t = now();
    for (const notice of dueNotices(state, t)) {
      state.notices.push(notice);
      if (notice.kind === 'escalation') {
        state.escalationLevel = escalationLevelAt(new Date(state.deadline), facts.ladder, t);
      }
      record('notice_created', null, {
        key: notice.key,
        kind: notice.kind,
        recipients: notice.recipients,
        lagging: notice.lagging,
      });
    }
  };

  /**
   * Projects the state into Postgres unless a projection at least this new is already done or on
   * its way (concurrent handlers then share one activity call).
   */
  const project = (): Promise<void> => {
    if (state.seq <= projectedSeq) return Promise.resolve();
    if (scheduledProjection && scheduledProjection.seq >= state.seq) {
      return scheduledProjection.done;
    }
    const seq = state.seq;
    const done = recordTaskQuarter({ ...state, recordedAt: now().toISOString() }).then(
      () => {
        projectedSeq = Math.max(projectedSeq, seq);
      },
      (err: unknown) => {
        // Only a non-retryable failure gets here; the next wake-up projects again.
        log.error('recordTaskQuarter failed', { seq, error: String(err) });
      },
    );
    scheduledProjection = { seq, done };
    return done;
  };

  /** After an accepted action: lamp and search attributes, wake the ladder, project, answer. */
  const settle = async (seq: number): Promise<TaskQuarterUpdateResult> => {
    refresh();
    wakeUp = true;
    await project();
    return {
      workflowId: state.workflowId,
      seq,
      phase: state.phase,
      lamp: state.lamp,
      deadline: state.deadline,
      units: state.units.map((u) => ({
        code: u.code,
        status: u.status,
        latestVersion: u.latestVersion,
      })),
    };
  };

  const unitOf = (code: string): UnitState => {
    const unit = state.units.find((u) => u.code === code);
    if (!unit) throw ApplicationFailure.nonRetryable(`Unknown unit ${code}`, 'NOT_RESPONSIBLE');
    return unit;
  };

  setHandler(getStateQuery, () => state);

  setHandler(
    submitReportUpdate,
    (req: SubmitReportInput) => {
      refresh(); // reporting may have opened since the loop last ran
      guard(validateSubmitReport(state, req, now()));
      const at = now().toISOString();
      const unit = unitOf(req.unitCode);
      const pending =
        unit.status === 'awaiting_head' ? unit.reports[unit.reports.length - 1] : null;
      if (pending) pending.superseded = true;
      const version = unit.latestVersion + 1;
      unit.reports.push({
        version,
        status: req.status,
        summary: req.summary,
        explanation: req.explanation ?? null,
        figures: req.figures ?? null,
        submittedBy: req.actor,
        submittedAt: at,
        superseded: false,
      });
      unit.latestVersion = version;
      unit.status = 'awaiting_head';
      unit.waitingSince = at;
      const seq = record('report_submitted', req.actor, {
        unitCode: unit.code,
        version,
        status: req.status,
        summary: req.summary,
        explanation: req.explanation ?? null,
        figures: req.figures ?? null,
        supersedes: pending ? pending.version : null,
      });
      return settle(seq);
    },
    {
      // The budget is checked in validators only: they do not run on replay, handlers do, so a
      // budget added or changed later cannot turn an update an old history accepted into a refusal.
      validator: (req: SubmitReportInput) => {
        guard(validateSubmitReport(state, req, now()));
        guard(checkCapacity(state, req));
      },
    },
  );

  setHandler(
    decideAsHeadUpdate,
    (req: DecideAsHeadInput) => {
      guard(validateDecideAsHead(state, req));
      const at = now().toISOString();
      const unit = unitOf(req.unitCode);
      const version = unit.latestVersion;
      unit.status = req.decision === 'approve' ? 'head_approved' : 'returned_by_head';
      unit.waitingSince = null;
      const seq = record(
        req.decision === 'approve' ? 'head_approved' : 'head_returned',
        req.actor,
        {
          unitCode: unit.code,
          version,
          comment: req.comment ?? '',
        },
      );
      state.decisions.push({
        seq,
        level: 'head',
        actor: req.actor,
        decision: req.decision,
        comment: req.comment ?? '',
        units: [unit.code],
        version,
        at,
      });
      if (state.units.every((u) => u.status === 'head_approved')) {
        state.phase = 'office_review';
        state.officeReviewSince = at;
        state.officeReviewRound += 1;
        record('office_review_started', null, { round: state.officeReviewRound });
      }
      return settle(seq);
    },
    {
      validator: (req: DecideAsHeadInput) => {
        guard(validateDecideAsHead(state, req));
        guard(checkCapacity(state, req));
      },
    },
  );

  setHandler(
    reviewAsOfficeUpdate,
    (req: ReviewAsOfficeInput) => {
      guard(validateReviewAsOffice(state, req));
      const at = now().toISOString();
      const units =
        req.decision === 'approve' ? state.units.map((u) => u.code) : [...new Set(req.units)];
      const seq = record(
        req.decision === 'approve' ? 'office_approved' : 'office_returned',
        req.actor,
        {
          units,
          comment: req.comment ?? '',
          round: state.officeReviewRound,
        },
      );
      state.decisions.push({
        seq,
        level: 'office',
        actor: req.actor,
        decision: req.decision,
        comment: req.comment ?? '',
        units,
        version: null,
        at,
      });
      state.officeReviewSince = null;
      if (req.decision === 'approve') {
        state.phase = 'closed';
        state.closedAt = at;
        record('closed', null, {});
      } else {
        for (const code of units) unitOf(code).status = 'returned_by_office';
        state.phase = 'reporting';
      }
      return settle(seq);
    },
    {
      validator: (req: ReviewAsOfficeInput) => {
        guard(validateReviewAsOffice(state, req));
        guard(checkCapacity(state, req));
      },
    },
  );

  setHandler(
    moveDeadlineUpdate,
    (req: MoveDeadlineInput) => {
      guard(validateMoveDeadline(state, req, now()));
      const at = now().toISOString();
      const from = state.deadline;
      const to = new Date(req.deadline).toISOString();
      const seq = record('deadline_moved', req.actor, { from, to, reason: req.reason });
      state.deadlineHistory.push({ seq, from, to, reason: req.reason, actor: req.actor, at });
      state.deadline = to;
      // The ladder restarts for the new deadline: its notices carry the new deadline in their keys.
      state.escalationLevel = 0;
      return settle(seq);
    },
    {
      validator: (req: MoveDeadlineInput) => {
        guard(validateMoveDeadline(state, req, now()));
        guard(checkCapacity(state, req));
      },
    },
  );

  if (!resumed) {
    record('task_quarter_started', null, { facts });
  }
  refresh();
  climbLadder();
  await project();

  // Handlers change the phase behind TypeScript's back, so ask through a function.
  const isClosed = (): boolean => state.phase === 'closed';
  while (!isClosed()) {
    const next = nextLadderInstant(state, now());
    wakeUp = false;
    if (next) {
      await condition(() => wakeUp, next.getTime() - Date.now());
    } else {
      await condition(() => wakeUp);
    }
    refresh();
    climbLadder();
    await project();
    if (workflowInfo().continueAsNewSuggested && !isClosed()) {
      await condition(allHandlersFinished);
      await project();
      await continueAsNew<typeof taskQuarterWorkflow>({ ...facts, carriedOver: state });
    }
  }

  // Closed: let in-flight handlers answer, make sure the final state is projected, and end.
  await condition(allHandlersFinished);
  await project();
  return state;
}
