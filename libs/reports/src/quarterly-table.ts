import type { Lamp } from '@duban/contracts';
import type { PlanEntity, TaskEntity } from '@duban/persistence';
import type { ReportMoment } from './as-of';
import {
  categoryHeading,
  CITY_LEVEL_MARK,
  formatMinute,
  LAMP_ZH,
  overdueDays,
  PHASE_ZH,
  REPORT_STATUS_ZH,
  UNIT_STATUS_ZH,
} from './format';
import type { PlanReportData } from './reports.repository';
import { recordKey } from './reports.repository';
import {
  replayTaskQuarter,
  type DecisionRecord,
  type TaskQuarterView,
  type UnitView,
} from './timeline';

/** The table's columns: the notice's five, then what the quarter brought. */
export const TABLE_COLUMNS = [
  '序号',
  '事项名称',
  '事项内容及目标',
  '责任部门',
  '本季度目标',
  '完成情况',
  '完成状态',
  '灯号',
  '审核意见',
  '提交时间',
  '逾期天数',
] as const;

/** One task row; `sequence` and `name` are the item's, shared by its sub-items. */
export interface TableRow {
  taskCode: string;
  sequence: string;
  name: string;
  content: string;
  units: string;
  target: string;
  progress: string;
  status: string;
  lamp: Lamp | null;
  lampText: string;
  opinions: string;
  submittedAt: string;
  overdueDays: number | null;
}

export interface TableItem {
  item: number;
  rows: TableRow[];
}

export interface TableSection {
  heading: string;
  items: TableItem[];
}

export interface QuarterlyTable {
  planId: string;
  planTitle: string;
  year: number;
  quarter: number;
  cityLevelOnly: boolean;
  asOf: string | null;
  generatedAt: Date;
  title: string;
  sections: TableSection[];
}

export function rowValues(row: TableRow): Array<string | number | null> {
  return [
    row.sequence,
    row.name,
    row.content,
    row.units,
    row.target,
    row.progress,
    row.status,
    row.lampText,
    row.opinions,
    row.submittedAt,
    row.overdueDays,
  ];
}

/** `2017年高新区（江海区）十件民生实事计划${IDEOGRAPHIC_SPACE}2017年第1季度完成情况表（…）`. */
/** The full-width space the notice itself uses between title parts. */
const IDEOGRAPHIC_SPACE = '\u3000';

export function tableTitle(
  plan: Pick<PlanEntity, 'title' | 'year'>,
  quarter: number,
  moment: ReportMoment,
  cityLevelOnly: boolean,
  generatedAt: Date,
): string {
  const scope = cityLevelOnly ? '（市民生实事）' : '';
  const asOf = moment.asOf
    ? `截至${moment.asOf.replace(/^(\d{4})-(\d{2})-(\d{2})$/, (_, y: string, m: string, d: string) => `${y}年${Number(m)}月${Number(d)}日`)}；`
    : '';
  return `${plan.title}${IDEOGRAPHIC_SPACE}${plan.year}年第${quarter}季度完成情况表${scope}（${asOf}生成时间：${formatMinute(generatedAt)}）`;
}

/** Builds the quarter's table as it stood at the moment; tasks stay in the notice's order. */
export function buildQuarterlyTable(
  data: PlanReportData,
  quarter: number,
  moment: ReportMoment,
  options: { cityLevelOnly: boolean; generatedAt: Date },
): QuarterlyTable {
  const records = new Map(data.records.map((r) => [recordKey(r.taskCode, r.quarter), r]));
  const tasksOfItem = new Map<number, TaskEntity[]>();
  for (const task of data.tasks) {
    tasksOfItem.set(task.item, [...(tasksOfItem.get(task.item) ?? []), task]);
  }
  const sections: TableSection[] = [];
  for (const category of data.categories) {
    const items: TableItem[] = [];
    for (const [item, tasks] of tasksOfItem) {
      if (tasks[0].category !== category.number) continue;
      const shown = options.cityLevelOnly ? tasks.filter((t) => t.cityLevel) : tasks;
      if (shown.length === 0) continue;
      // ★ on the name when the whole item is city-level, else on the sub-items that are (item 36).
      const wholeItemCityLevel = tasks.every((t) => t.cityLevel);
      const rows = shown.map((task) => {
        const record = records.get(recordKey(task.code, quarter));
        const view = record ? replayTaskQuarter(record, moment.cutoff, moment.live) : null;
        return taskRow(task, tasks.length > 1, wholeItemCityLevel, quarter, view, moment);
      });
      items.push({ item, rows });
    }
    if (items.length > 0) sections.push({ heading: categoryHeading(category), items });
  }
  return {
    planId: data.plan.id,
    planTitle: data.plan.title,
    year: data.plan.year,
    quarter,
    cityLevelOnly: options.cityLevelOnly,
    asOf: moment.asOf,
    generatedAt: options.generatedAt,
    title: tableTitle(data.plan, quarter, moment, options.cityLevelOnly, options.generatedAt),
    sections,
  };
}

function taskRow(
  task: TaskEntity,
  hasSubItems: boolean,
  wholeItemCityLevel: boolean,
  quarter: number,
  view: TaskQuarterView | null,
  moment: ReportMoment,
): TableRow {
  const subItem = hasSubItems ? Number(task.code.split('.')[1]) : null;
  const mark = task.cityLevel && !wholeItemCityLevel ? CITY_LEVEL_MARK : '';
  const target = (task.targets ?? []).find((t) => t.quarter === quarter);
  const writtenAs = [...new Set((task.responsibilities ?? []).map((r) => r.writtenAs))];
  const row: TableRow = {
    taskCode: task.code,
    sequence: String(task.item),
    name: `${wholeItemCityLevel ? CITY_LEVEL_MARK : ''}${task.name}`,
    content: subItem === null ? `${mark}${task.goal}` : `${mark}（${subItem}）${task.goal}`,
    units: writtenAs.join('、'),
    target: target?.text ?? '/',
    progress: '',
    status: target?.text ? '未启动' : '本季度无目标',
    lamp: null,
    lampText: '',
    opinions: '',
    submittedAt: '',
    overdueDays: null,
  };
  if (!view || !view.started) return row;

  const many = view.units.length > 1;
  const label = (unit: UnitView, text: string): string => (many ? `${unit.name}：${text}` : text);
  row.progress = view.units
    .map((u) => {
      const report = u.approvedReport;
      if (!report) return label(u, `（${UNIT_STATUS_ZH[u.status]}）`);
      return label(
        u,
        report.explanation ? `${report.summary}（说明：${report.explanation}）` : report.summary,
      );
    })
    .join('\n');
  row.status = [
    PHASE_ZH[view.phase],
    ...view.units.map((u) =>
      label(
        u,
        u.status === 'head_approved' && u.approvedReport
          ? REPORT_STATUS_ZH[u.approvedReport.status]
          : UNIT_STATUS_ZH[u.status],
      ),
    ),
  ].join('\n');
  row.lamp = view.lamp;
  row.lampText = LAMP_ZH[view.lamp];
  row.opinions = view.decisions.map((d) => opinion(d, view.units)).join('\n');
  row.submittedAt = view.units
    .filter((u) => u.latestReport)
    .map((u) => label(u, formatMinute(u.latestReport!.submittedAt)))
    .join('\n');
  row.overdueDays = overdueDays(
    view.deadline,
    view.closedAt ?? moment.cutoff,
    view.phase === 'closed',
  );
  return row;
}

function opinion(decision: DecisionRecord, units: UnitView[]): string {
  const nameOf = (code: string): string => units.find((u) => u.code === code)?.name ?? code;
  const comment = decision.comment ? `：${decision.comment}` : '';
  if (decision.level === 'head') {
    const verdict = decision.decision === 'approve' ? '同意' : '退回';
    return `${nameOf(decision.unitCodes[0])}负责人${verdict}${comment}`;
  }
  if (decision.decision === 'approve') return `区督查室办结${comment}`;
  return `区督查室退回（${decision.unitCodes.map(nameOf).join('、')}）${comment}`;
}
