/**
 * Domain errors carry a stable code; the HTTP edge and the command line map codes to statuses and
 * exit codes, so services never think about transports.
 */
export type DomainErrorCode =
  | 'NOT_FOUND'
  | 'INVALID_INPUT'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'PLAN_PARSE_ERROR'
  | 'UNKNOWN_UNITS'
  | 'PHASE_NOT_ALLOWED'
  | 'UNAVAILABLE';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string): DomainError =>
  new DomainError('NOT_FOUND', `${what} not found`);
