/** A plan notice that cannot be read; `line` names the document line at fault, when one is. */
export class PlanParseError extends Error {
  readonly code = 'PLAN_PARSE_ERROR';

  constructor(
    detail: string,
    readonly line: number | null = null,
  ) {
    super(line === null ? detail : `line ${line}: ${detail}`);
    this.name = 'PlanParseError';
  }
}
