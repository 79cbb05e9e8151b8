import type { NextFunction, Request, Response } from 'express';

/** Deeper than any body Duban accepts (figures are one level); keeps validation off the stack limit. */
export const MAX_JSON_DEPTH = 16;

/**
 * Refuses, with 400, JSON bodies nested deeper than {@link MAX_JSON_DEPTH} and strings holding
 * U+0000 (Postgres text cannot store it). Walks the body iteratively, so a hostile body cannot
 * overflow the stack here either.
 */
export function jsonBodyGuard(req: Request, res: Response, next: NextFunction): void {
  const problem = inspectJson(req.body);
  if (!problem) return next();
  res.status(400).json({ statusCode: 400, error: 'Bad Request', message: problem });
}

export function inspectJson(body: unknown): string | null {
  const stack: Array<{ value: unknown; depth: number }> = [{ value: body, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return 'text must not contain the NUL character (U+0000)';
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_JSON_DEPTH) {
      return `the JSON body is nested more than ${MAX_JSON_DEPTH} levels deep`;
    }
    for (const [key, child] of Object.entries(value)) {
      if (key.includes('\u0000')) return 'field names must not contain the NUL character (U+0000)';
      stack.push({ value: child, depth: depth + 1 });
    }
  }
  return null;
}
