/** A calendar quarter of the plan year. */
export type Quarter = 1 | 2 | 3 | 4;

/** What a task must reach in one quarter, or in a span of merged quarters. */
export interface ParsedTarget {
  quarters: Quarter[];
  /** Null where the cell held `/`: nothing is reported for these quarters. */
  text: string | null;
  /** True for a span spread over merged cells: the office reviews it before activation. */
  inferred: boolean;
}

/** One reportable row of the plan table (`14.1`, or `29` for a single-row item). */
export interface ParsedTask {
  code: string;
  item: number;
  category: number;
  name: string;
  goal: string;
  cityLevel: boolean;
  /** As written, collectives unexpanded; the first is the lead unit. */
  units: string[];
  /** Null where the first unit listed is a collective (every member reports, no single lead). */
  leadUnit: string | null;
  targets: ParsedTarget[];
  /** The co-responsible units: every unit after the first. */
  coUnits: string[];
  /** The document line where the task's row starts. */
  line: number;
}

export interface ParsedCategory {
  number: number;
  title: string;
  declaredCount: number;
  /** Item numbers, in document order. */
  items: number[];
  line: number;
}

export interface ParsedItem {
  number: number;
  name: string;
  category: number;
  /** True when the item's name carries ★ (a sub-item's own ★ marks only that task). */
  cityLevel: boolean;
  taskCodes: string[];
  line: number;
}

export interface ParsedPlan {
  docNumber: string;
  title: string;
  year: number;
  /** ISO date, `2017-02-28`. */
  issuedOn: string;
  issuers: string[];
  reportTo: string;
  categories: ParsedCategory[];
  tasks: ParsedTask[];
  /** The notice's own title, e.g. `关于印发…计划的通知`. */
  noticeTitle: string;
  addressees: string[];
  body: string;
  items: ParsedItem[];
  /** Distinct unit names as written, in order of first appearance. */
  unitNames: string[];
}

/**
 * Unit names that stand for a group of units. The membership belongs to the organisation; the
 * parser only needs to know that such a name is not a single unit.
 */
export const COLLECTIVE_UNITS: Readonly<Record<string, string>> = Object.freeze({
  各街道办事处: 'street-offices',
});

export function isCollectiveUnit(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(COLLECTIVE_UNITS, name);
}

export const TABLE_HEADER: readonly string[] = [
  '序号',
  '事项名称',
  '事项内容及目标',
  '责任部门',
  '一季度目标',
  '二季度目标',
  '三季度目标',
  '四季度目标',
];

export const CLOSING_NOTE = '注：标有★的事项是市民生实事内容。';
