import {
  type Actor,
  type DecideAsHeadInput,
  LIMITS,
  type MoveDeadlineInput,
  REJECTION,
  type RejectionCode,
  type ReviewAsOfficeInput,
  ROLES,
  type SubmitReportInput,
  type TaskQuarterState,
} from '@duban/contracts';
import { parseInstant, toDate } from './time';

/**
 * The rules every update is validated against, shared by the workflow's update validators (the
 * authority) and the API (to answer early). Each returns null or the first rejection.
 */
export interface Rejection {
  code: RejectionCode;
  message: string;
}

type ValidationState = Pick<TaskQuarterState, 'facts' | 'phase' | 'units' | 'deadline'>;

const reject = (code: RejectionCode, message: string): Rejection => ({ code, message });

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkActor(actor: unknown): Rejection | null {
  if (
    !isRecord(actor) ||
    typeof actor.id !== 'string' ||
    typeof actor.name !== 'string' ||
    !(ROLES as readonly unknown[]).includes(actor.role) ||
    !(actor.unitCode === null || typeof actor.unitCode === 'string')
  ) {
    return reject(REJECTION.INVALID_PAYLOAD, 'The payload must name the acting user (actor)');
  }
  return null;
}

/**
 * Postgres text cannot hold U+0000: a payload carrying one would be accepted by the workflow and
 * then never projected (the activity would retry forever), so it is refused here.
 */
function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (typeof value !== 'object' || value === null || depth > 8) return false;
  return Object.entries(value).some(
    ([key, v]) => key.includes('\u0000') || containsNul(v, depth + 1),
  );
}

const NUL_REJECTION: Rejection = {
  code: REJECTION.INVALID_PAYLOAD,
  message: 'Text must not contain the NUL character (U+0000)',
};

function isBlank(value: unknown): boolean {
  return typeof value !== 'string' || value.trim().length === 0;
}

/**
 * The checks every free text (summary, explanation, comment, reason) shares, in this order: when
 * `required` is given, a blank text (missing, not a string, or only whitespace) is refused with
 * it; then a text longer than `limit` characters is refused as too large. Whether a non-string is
 * a type error first is each validator's own business, as is when a text is required.
 */
function checkText(
  field: string,
  value: unknown,
  limit: number,
  required: Rejection | null = null,
): Rejection | null {
  if (required && isBlank(value)) return required;
  if (typeof value === 'string' && value.length > limit) {
    return reject(
      REJECTION.PAYLOAD_TOO_LARGE,
      `The ${field} has ${value.length} characters; at most ${limit} are allowed`,
    );
  }
  return null;
}

export function validateSubmitReport(
  state: ValidationState,
  input: SubmitReportInput,
  now: Date,
): Rejection | null {
  if (!isRecord(input)) return reject(REJECTION.INVALID_PAYLOAD, 'The payload must be an object');
  if (containsNul(input)) return NUL_REJECTION;
  const actorProblem = checkActor(input.actor);
  if (actorProblem) return actorProblem;
  if (typeof input.unitCode !== 'string') {
    return reject(REJECTION.INVALID_PAYLOAD, 'unitCode must be a string');
  }
  const unit = state.units.find((u) => u.code === input.unitCode);
  if (!unit) {
    return reject(
      REJECTION.NOT_RESPONSIBLE,
      `Unit "${input.unitCode}" is not responsible for task ${state.facts.taskCode} Q${state.facts.quarter}`,
    );
  }
  const actor: Actor = input.actor;
  if (actor.role !== 'staff') {
    return reject(
      REJECTION.ROLE_NOT_ALLOWED,
      `Only unit staff submit progress reports; ${actor.role} "${actor.id}" may not`,
    );
  }
  if (actor.unitCode !== input.unitCode) {
    return reject(
      REJECTION.ROLE_NOT_ALLOWED,
      `Staff "${actor.id}" of unit "${actor.unitCode ?? '-'}" may not report for unit "${input.unitCode}"`,
    );
  }
  if (now.getTime() < toDate(state.facts.opensAt).getTime()) {
    return reject(
      REJECTION.NOT_OPEN_YET,
      `Reporting for Q${state.facts.quarter} opens at ${state.facts.opensAt}`,
    );
  }
  if (state.phase === 'closed' || state.phase === 'office_review') {
    return reject(
      REJECTION.PHASE_NOT_ALLOWED,
      `The task-quarter is in phase ${state.phase}; reports are not accepted now`,
    );
  }
  if (unit.status === 'head_approved') {
    return reject(
      REJECTION.PHASE_NOT_ALLOWED,
      `The report of unit "${unit.code}" is already approved by its head; it can be resubmitted only if returned`,
    );
  }
  if (!['completed', 'partial', 'not_completed'].includes(input.status)) {
    return reject(
      REJECTION.INVALID_PAYLOAD,
      'status must be one of completed, partial, not_completed',
    );
  }
  const summaryProblem = checkText(
    'summary',
    input.summary,
    LIMITS.summaryChars,
    reject(REJECTION.SUMMARY_EMPTY, 'The summary is empty'),
  );
  if (summaryProblem) return summaryProblem;
  if (input.explanation !== undefined && input.explanation !== null) {
    if (typeof input.explanation !== 'string') {
      return reject(REJECTION.INVALID_PAYLOAD, 'explanation must be a string');
    }
    const explanationProblem = checkText('explanation', input.explanation, LIMITS.explanationChars);
    if (explanationProblem) return explanationProblem;
  }
  if (input.status !== 'completed' && isBlank(input.explanation)) {
    return reject(
      REJECTION.EXPLANATION_REQUIRED,
      `An explanation is required when the status is ${input.status}`,
    );
  }
  if (input.figures !== undefined && input.figures !== null) {
    if (!isRecord(input.figures)) {
      return reject(REJECTION.INVALID_PAYLOAD, 'figures must be an object of names to values');
    }
    const entries = Object.entries(input.figures);
    if (entries.length > LIMITS.figures) {
      return reject(
        REJECTION.PAYLOAD_TOO_LARGE,
        `There are ${entries.length} figures; at most ${LIMITS.figures} are allowed`,
      );
    }
    for (const [name, value] of entries) {
      if (name.length > LIMITS.figureKeyChars) {
        return reject(
          REJECTION.PAYLOAD_TOO_LARGE,
          `The figure name "${name.slice(0, 20)}…" is too long`,
        );
      }
      if (typeof value === 'number' ? !Number.isFinite(value) : typeof value !== 'string') {
        return reject(REJECTION.INVALID_PAYLOAD, `The figure "${name}" must be a number or a text`);
      }
      if (typeof value === 'string' && value.length > LIMITS.figureValueChars) {
        return reject(REJECTION.PAYLOAD_TOO_LARGE, `The figure "${name}" is too long`);
      }
    }
  }
  return null;
}

function checkDecision(decision: unknown, comment: unknown): Rejection | null {
  if (decision !== 'approve' && decision !== 'return') {
    return reject(REJECTION.INVALID_PAYLOAD, 'decision must be approve or return');
  }
  if (comment !== undefined && typeof comment !== 'string') {
    return reject(REJECTION.INVALID_PAYLOAD, 'comment must be a string');
  }
  return checkText(
    'comment',
    comment,
    LIMITS.commentChars,
    decision === 'return'
      ? reject(REJECTION.COMMENT_REQUIRED, 'A comment saying why is required when returning')
      : null,
  );
}

export function validateDecideAsHead(
  state: ValidationState,
  input: DecideAsHeadInput,
): Rejection | null {
  if (!isRecord(input)) return reject(REJECTION.INVALID_PAYLOAD, 'The payload must be an object');
  if (containsNul(input)) return NUL_REJECTION;
  const actorProblem = checkActor(input.actor);
  if (actorProblem) return actorProblem;
  const unit = state.units.find((u) => u.code === input.unitCode);
  if (!unit) {
    return reject(
      REJECTION.NOT_RESPONSIBLE,
      `Unit "${String(input.unitCode)}" is not responsible for task ${state.facts.taskCode} Q${state.facts.quarter}`,
    );
  }
  if (input.actor.role !== 'head' || input.actor.unitCode !== unit.code) {
    return reject(
      REJECTION.ROLE_NOT_ALLOWED,
      `Only the head of unit "${unit.code}" decides on its report; ${input.actor.role} "${input.actor.id}" may not`,
    );
  }
  if (state.phase !== 'reporting' || unit.status !== 'awaiting_head') {
    return reject(
      REJECTION.PHASE_NOT_ALLOWED,
      `Unit "${unit.code}" has no report waiting for its head (unit status ${unit.status}, phase ${state.phase})`,
    );
  }
  return checkDecision(input.decision, input.comment);
}

export function validateReviewAsOffice(
  state: ValidationState,
  input: ReviewAsOfficeInput,
): Rejection | null {
  if (!isRecord(input)) return reject(REJECTION.INVALID_PAYLOAD, 'The payload must be an object');
  if (containsNul(input)) return NUL_REJECTION;
  const actorProblem = checkActor(input.actor);
  if (actorProblem) return actorProblem;
  if (input.actor.role !== 'office') {
    return reject(
      REJECTION.ROLE_NOT_ALLOWED,
      `Only the supervision office reviews a task-quarter; ${input.actor.role} "${input.actor.id}" may not`,
    );
  }
  if (state.phase !== 'office_review') {
    return reject(
      REJECTION.PHASE_NOT_ALLOWED,
      `The task-quarter is in phase ${state.phase}; the office reviews only when every unit's report is head-approved`,
    );
  }
  const decisionProblem = checkDecision(input.decision, input.comment);
  if (decisionProblem) return decisionProblem;
  if (input.decision === 'return') {
    if (!Array.isArray(input.units) || input.units.length === 0) {
      return reject(REJECTION.UNITS_REQUIRED, 'Name the units the task-quarter is returned to');
    }
    const strangers = input.units.filter((code) => !state.units.some((u) => u.code === code));
    if (strangers.length > 0) {
      return reject(
        REJECTION.NOT_RESPONSIBLE,
        `Units not responsible for task ${state.facts.taskCode}: ${strangers.join(', ')}`,
      );
    }
  }
  return null;
}

export function validateMoveDeadline(
  state: ValidationState,
  input: MoveDeadlineInput,
  now: Date,
): Rejection | null {
  if (!isRecord(input)) return reject(REJECTION.INVALID_PAYLOAD, 'The payload must be an object');
  if (containsNul(input)) return NUL_REJECTION;
  const actorProblem = checkActor(input.actor);
  if (actorProblem) return actorProblem;
  if (input.actor.role !== 'office') {
    return reject(
      REJECTION.ROLE_NOT_ALLOWED,
      `Only the supervision office moves a deadline; ${input.actor.role} "${input.actor.id}" may not`,
    );
  }
  if (state.phase === 'closed') {
    return reject(REJECTION.PHASE_NOT_ALLOWED, 'The task-quarter is closed');
  }
  const deadline = parseInstant(input.deadline);
  if (!deadline) {
    return reject(
      REJECTION.INVALID_DEADLINE,
      `The deadline "${String(input.deadline)}" is not an ISO instant with a time zone`,
    );
  }
  if (deadline.getTime() <= now.getTime()) {
    return reject(
      REJECTION.INVALID_DEADLINE,
      `The new deadline ${input.deadline} is not in the future`,
    );
  }
  if (deadline.getTime() <= toDate(state.facts.opensAt).getTime()) {
    return reject(REJECTION.INVALID_DEADLINE, `The new deadline is before the quarter opens`);
  }
  if (deadline.getTime() === toDate(state.deadline).getTime()) {
    return reject(REJECTION.INVALID_DEADLINE, 'The new deadline equals the current one');
  }
  return checkText(
    'reason',
    input.reason,
    LIMITS.reasonChars,
    reject(REJECTION.REASON_REQUIRED, 'A reason for moving the deadline is required'),
  );
}
