import type { TaskQuarterSnapshot } from '@duban/contracts';
import { canonicalJson } from './canonical';

/** Runs SQL and answers rows (a TypeORM DataSource's `query`, a pg pool's rows…). */
export type SqlRunner = (
  text: string,
  params: unknown[],
) => Promise<Array<Record<string, unknown>>>;

export const PROJECTION_TABLES = [
  'task_quarter',
  'task_quarter_unit',
  'report_version',
  'decision',
  'deadline_change',
  'notice',
  'audit_event',
] as const;
export type ProjectionTable = (typeof PROJECTION_TABLES)[number];

export type ProjectionRow = Record<string, unknown>;
export type ProjectionRows = Record<ProjectionTable, ProjectionRow[]>;

/** The columns that identify a row of each table within one task-quarter. */
const KEY_COLUMNS: Record<ProjectionTable, string[]> = {
  task_quarter: ['id'],
  task_quarter_unit: ['unit_code'],
  report_version: ['unit_code', 'version'],
  decision: ['seq'],
  deadline_change: ['seq'],
  notice: ['key'],
  audit_event: ['seq'],
};

const ORDER_BY: Record<ProjectionTable, string> = {
  task_quarter: 'id',
  task_quarter_unit: 'unit_code',
  report_version: 'unit_code, version',
  decision: 'seq',
  deadline_change: 'seq',
  notice: 'key',
  audit_event: 'seq',
};

export function rowKey(table: ProjectionTable, row: ProjectionRow): string {
  return KEY_COLUMNS[table].map((c) => `${c}=${String(row[c])}`).join(',');
}

const iso = (v: string | null): string | null => (v === null ? null : new Date(v).toISOString());

/** Normalises a value read from Postgres or built from a snapshot to plain JSON. */
function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/**
 * The rows the projection activity writes for a snapshot, column for column as
 * `ProjectionService` maps them (apps/worker/src/projection/projection.service.ts).
 */
export function expectedRows(s: TaskQuarterSnapshot): ProjectionRows {
  const id = s.workflowId;
  return {
    task_quarter: [
      {
        id,
        plan_id: s.facts.planId,
        task_code: s.facts.taskCode,
        quarter: s.facts.quarter,
        phase: s.phase,
        lamp: s.lamp,
        deadline: iso(s.deadline),
        opens_at: iso(s.facts.opensAt),
        escalation_level: s.escalationLevel,
        unit_codes: s.units.map((u) => u.code),
        target_text: s.facts.target,
        closed_at: iso(s.closedAt),
        seq: s.seq,
        updated_at: iso(s.recordedAt),
      },
    ],
    task_quarter_unit: s.units.map((u) => ({
      task_quarter_id: id,
      unit_code: u.code,
      unit_name: u.name,
      lead: u.lead,
      status: u.status,
      latest_version: u.latestVersion,
      waiting_since: iso(u.waitingSince),
    })),
    report_version: s.units.flatMap((u) =>
      u.reports.map((r) => ({
        task_quarter_id: id,
        unit_code: u.code,
        version: r.version,
        status: r.status,
        summary: r.summary,
        explanation: r.explanation,
        figures: r.figures,
        submitted_by: plain(r.submittedBy),
        submitted_at: iso(r.submittedAt),
      })),
    ),
    decision: s.decisions.map((d) => ({
      task_quarter_id: id,
      seq: d.seq,
      level: d.level,
      decision: d.decision,
      comment: d.comment,
      unit_codes: d.units,
      actor: plain(d.actor),
      decided_at: iso(d.at),
    })),
    deadline_change: s.deadlineHistory.map((c) => ({
      task_quarter_id: id,
      seq: c.seq,
      from_deadline: iso(c.from),
      to_deadline: iso(c.to),
      reason: c.reason,
      actor: plain(c.actor),
      changed_at: iso(c.at),
    })),
    notice: s.notices.map((n) => ({
      key: n.key,
      task_quarter_id: id,
      kind: n.kind,
      recipients: plain(n.recipients),
      lagging: plain(n.lagging),
      title: n.title,
      body: n.body,
      created_at: iso(n.createdAt),
    })),
    audit_event: s.events.map((e) => ({
      task_quarter_id: id,
      seq: e.seq,
      type: e.type,
      actor: e.actor ? plain(e.actor) : null,
      detail: plain(e.detail),
      occurred_at: iso(e.at),
    })),
  };
}

/** The projection rows Postgres holds for one task-quarter, as plain JSON. */
export async function readProjectionRows(
  sql: SqlRunner,
  workflowId: string,
): Promise<ProjectionRows> {
  return (await readProjectionRowsOf(sql, [workflowId])).get(workflowId) ?? emptyProjectionRows();
}

export function emptyProjectionRows(): ProjectionRows {
  return Object.fromEntries(PROJECTION_TABLES.map((t) => [t, []])) as unknown as ProjectionRows;
}

/**
 * The projection rows of many task-quarters: one query per table for all of them (a plan's
 * replay would otherwise pay seven round trips per task-quarter).
 */
export async function readProjectionRowsOf(
  sql: SqlRunner,
  workflowIds: readonly string[],
): Promise<Map<string, ProjectionRows>> {
  const byId = new Map(workflowIds.map((id) => [id, emptyProjectionRows()]));
  for (const table of PROJECTION_TABLES) {
    const column = table === 'task_quarter' ? 'id' : 'task_quarter_id';
    const found = await sql(
      `SELECT * FROM ${table} WHERE ${column} = ANY($1) ORDER BY ${column}, ${ORDER_BY[table]}`,
      [[...byId.keys()]],
    );
    for (const row of found)
      byId.get(String(row[column]))?.[table].push(plain(row) as ProjectionRow);
  }
  return byId;
}

export type DifferenceKind = 'changed' | 'missing' | 'added';

export interface FieldDifference {
  field: string;
  /** What the history says. */
  expected: unknown;
  /** What Postgres holds. */
  actual: unknown;
}

/**
 * One way the projection departs from the history: `missing` (the history has it, Postgres does
 * not), `added` (Postgres has a row the history never produced), `changed` (fields differ).
 */
export interface ProjectionDifference {
  table: ProjectionTable;
  kind: DifferenceKind;
  key: string;
  fields?: FieldDifference[];
  /** zh-CN, for people. */
  message: string;
}

const TABLE_LABEL: Record<ProjectionTable, string> = {
  task_quarter: '督办任务',
  task_quarter_unit: '责任单位状态',
  report_version: '完成情况版本',
  decision: '审核决定',
  deadline_change: '截止时间调整',
  notice: '通知',
  audit_event: '审计事件',
};

/** Compares expected (from history) and actual (Postgres) rows item by item. */
export function compareProjection(
  expected: ProjectionRows,
  actual: ProjectionRows,
): ProjectionDifference[] {
  const differences: ProjectionDifference[] = [];
  for (const table of PROJECTION_TABLES) {
    const have = new Map(actual[table].map((r) => [rowKey(table, r), r]));
    const want = new Map(expected[table].map((r) => [rowKey(table, r), r]));
    for (const [key, row] of want) {
      const found = have.get(key);
      if (!found) {
        differences.push({
          table,
          kind: 'missing',
          key,
          message: `${TABLE_LABEL[table]} ${key}：历史中有，数据库中缺失`,
        });
        continue;
      }
      const fields: FieldDifference[] = [];
      // Columns Postgres has beyond the projection's (added by later migrations) are not compared.
      for (const field of Object.keys(row)) {
        if (canonicalJson(row[field]) !== canonicalJson(found[field])) {
          fields.push({ field, expected: row[field], actual: found[field] });
        }
      }
      if (fields.length) {
        differences.push({
          table,
          kind: 'changed',
          key,
          fields,
          message: `${TABLE_LABEL[table]} ${key}：与历史不符（${fields.map((f) => f.field).join('、')}）`,
        });
      }
    }
    for (const [key] of have) {
      if (!want.has(key)) {
        differences.push({
          table,
          kind: 'added',
          key,
          message: `${TABLE_LABEL[table]} ${key}：数据库中有，历史中没有`,
        });
      }
    }
  }
  return differences;
}
