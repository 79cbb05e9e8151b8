/**
 * Codes carried as the `type` of the non-retryable ApplicationFailure with which a validator
 * rejects an update. The API maps them to HTTP statuses with {@link REJECTION_HTTP_STATUS}.
 */
export const REJECTION = {
  /** The unit named is not responsible for this task-quarter. */
  NOT_RESPONSIBLE: 'NOT_RESPONSIBLE',
  /** The actor's role (or unit) may not take this action. */
  ROLE_NOT_ALLOWED: 'ROLE_NOT_ALLOWED',
  /** The action is not allowed in the task-quarter's phase or the unit's status. */
  PHASE_NOT_ALLOWED: 'PHASE_NOT_ALLOWED',
  /** Reporting has not opened yet (before the start of the quarter). */
  NOT_OPEN_YET: 'NOT_OPEN_YET',
  EXPLANATION_REQUIRED: 'EXPLANATION_REQUIRED',
  SUMMARY_EMPTY: 'SUMMARY_EMPTY',
  COMMENT_REQUIRED: 'COMMENT_REQUIRED',
  REASON_REQUIRED: 'REASON_REQUIRED',
  UNITS_REQUIRED: 'UNITS_REQUIRED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  INVALID_PAYLOAD: 'INVALID_PAYLOAD',
  INVALID_DEADLINE: 'INVALID_DEADLINE',
} as const;

export type RejectionCode = (typeof REJECTION)[keyof typeof REJECTION];

export const {
  NOT_RESPONSIBLE,
  ROLE_NOT_ALLOWED,
  PHASE_NOT_ALLOWED,
  NOT_OPEN_YET,
  EXPLANATION_REQUIRED,
  SUMMARY_EMPTY,
  COMMENT_REQUIRED,
  REASON_REQUIRED,
  UNITS_REQUIRED,
  PAYLOAD_TOO_LARGE,
  INVALID_PAYLOAD,
  INVALID_DEADLINE,
} = REJECTION;

/** Suggested HTTP status for each rejection code (403 forbidden, 409 conflict, 422 invalid). */
export const REJECTION_HTTP_STATUS: Record<RejectionCode, 403 | 409 | 413 | 422> = {
  NOT_RESPONSIBLE: 403,
  ROLE_NOT_ALLOWED: 403,
  PHASE_NOT_ALLOWED: 409,
  NOT_OPEN_YET: 409,
  EXPLANATION_REQUIRED: 422,
  SUMMARY_EMPTY: 422,
  COMMENT_REQUIRED: 422,
  REASON_REQUIRED: 422,
  UNITS_REQUIRED: 422,
  PAYLOAD_TOO_LARGE: 413,
  INVALID_PAYLOAD: 422,
  INVALID_DEADLINE: 422,
};

export function isRejectionCode(value: unknown): value is RejectionCode {
  return typeof value === 'string' && value in REJECTION_HTTP_STATUS;
}

/** Size limits the validators enforce. */
export const LIMITS = {
  summaryChars: 4000,
  explanationChars: 4000,
  commentChars: 2000,
  reasonChars: 1000,
  figures: 50,
  figureKeyChars: 100,
  figureValueChars: 500,
} as const;
