import { splitIntoCells } from './cells';
import { decodePlanText } from './decode';
import { parseHeader } from './header';
import { readTableRows } from './table';
import { assembleTable } from './tasks';
import { type ParsedPlan, type ParsedTarget, type ParsedTask, type Quarter } from './types';

/**
 * Parses a plan notice (section 1 of DESIGN.md): decode → cells → header → table rows → tasks.
 * Throws `PlanParseError` for anything it cannot read whole; it never returns part of a plan.
 */
export function parsePlanDocument(input: Buffer | string): ParsedPlan {
  const text = decodePlanText(input);
  const { header: headerLines, cells, lastLine } = splitIntoCells(text);
  const header = parseHeader(headerLines, cells[0]?.line ?? lastLine);
  const { categories, items, tasks } = assembleTable(readTableRows(cells, lastLine));
  // Contract fields first, in the order DESIGN.md shows them; extras after.
  return {
    docNumber: header.docNumber,
    title: header.title,
    year: header.year,
    issuedOn: header.issuedOn,
    issuers: header.issuers,
    reportTo: header.reportTo,
    categories,
    tasks,
    noticeTitle: header.noticeTitle,
    addressees: header.addressees,
    body: header.body,
    items,
    unitNames: [...new Set(tasks.flatMap((t) => t.units))],
  };
}

/** The task's target for quarter `q`, or null where there is none (`/`, including merged spans). */
export function targetForQuarter(
  task: Pick<ParsedTask, 'targets'>,
  q: Quarter,
): ParsedTarget | null {
  const target = task.targets.find((t) => t.quarters.includes(q));
  return target === undefined || target.text === null ? null : target;
}
