import { REJECTION, type TaskQuarterState } from '@duban/contracts';
import type { Rejection } from './validation';

/**
 * How large a task-quarter's state may grow. The workflow hands its whole state to the
 * projection activity (and to the next run on continue-as-new), and Temporal refuses a payload
 * over 2 MiB: a state past that could never be projected again and the task-quarter would stall.
 * The budget leaves room for what the clock adds without anyone's input (notices, lamp changes).
 */
export const STATE_BUDGET_BYTES = 1_500_000;

/** UTF-8 length of a string, counted without TextEncoder so it runs the same everywhere. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4; // a surrogate pair: one 4-byte character
      i++;
    } else bytes += 3; // including a lone surrogate, which encodes as U+FFFD
  }
  return bytes;
}

/** The state's size as the payload converter will encode it (JSON, UTF-8). */
export function stateBytes(state: TaskQuarterState): number {
  return utf8Length(JSON.stringify(state));
}

/**
 * Refuses a change that would take the state past its budget. The input is counted twice: a
 * report (or a comment, a reason) is kept in the state and in the audit event that records it.
 */
export function checkCapacity(state: TaskQuarterState, input: unknown): Rejection | null {
  const used = stateBytes(state);
  const needed = 2 * utf8Length(JSON.stringify(input) ?? '');
  if (used + needed <= STATE_BUDGET_BYTES) return null;
  return {
    code: REJECTION.PAYLOAD_TOO_LARGE,
    message:
      `This task-quarter's record is full: ${used} of ${STATE_BUDGET_BYTES} bytes are used and ` +
      `this change needs ${needed} more; shorten the text or the figures`,
  };
}
