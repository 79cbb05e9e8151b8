import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import type {
  Lamp,
  OverdueTaskQuarter,
  Phase,
  PlanStats,
  TaskQuarterSummary,
  Unit,
} from '../api/types';
import { DeadlineDialog } from '../actions';
import {
  Empty,
  ErrorBox,
  errorMessage,
  LabeledSelect,
  LampBadge,
  LoadState,
  useLoad,
} from '../components';
import {
  compareTaskCodes,
  currentQuarter,
  formatDateTime,
  label,
  LAMP_LABELS,
  OWES_LABELS,
  PHASE_LABELS,
  QUARTER_LABELS,
  taskTitle,
} from '../labels';
import { PlanPicker, usePlan } from '../plan';
import { useSession, useUser } from '../session';
import { taskQuarterPath } from '../task-quarter-list';

const LAMPS: Lamp[] = ['green', 'yellow', 'red', 'closed'];
const PHASES: Phase[] = ['not_open', 'reporting', 'office_review', 'closed'];
const CITY_LEVEL_OPTIONS = [
  ['true', '仅 ★'],
  ['false', '非 ★'],
] as const;
const CATEGORY_NUMERALS = [
  '',
  '一',
  '二',
  '三',
  '四',
  '五',
  '六',
  '七',
  '八',
  '九',
  '十',
  '十一',
  '十二',
];

interface Filters {
  category: string;
  unit: string;
  cityLevel: '' | 'true' | 'false';
  lamp: '' | Lamp;
}

interface TaskRow {
  code: string;
  name: string;
  cityLevel: boolean;
  category: number;
  quarters: Array<TaskQuarterSummary | undefined>;
}

function toRows(items: TaskQuarterSummary[]): TaskRow[] {
  const rows = new Map<string, TaskRow>();
  for (const item of items) {
    let row = rows.get(item.taskCode);
    if (!row) {
      row = {
        code: item.taskCode,
        name: item.taskName,
        cityLevel: item.cityLevel,
        category: item.category,
        quarters: [],
      };
      rows.set(item.taskCode, row);
    }
    row.quarters[item.quarter] = item;
  }
  return [...rows.values()].sort((a, b) => compareTaskCodes(a.code, b.code));
}

export function DashboardPage() {
  const { api } = useSession();
  const user = useUser();
  const planState = usePlan();
  const { plan } = planState;
  const [filters, setFilters] = useState<Filters>({
    category: '',
    unit: '',
    cityLevel: '',
    lamp: '',
  });
  const [extending, setExtending] = useState<OverdueTaskQuarter | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const units = useLoad(async () => (await api.units()).items, [api]);
  const scope = {
    category: filters.category ? Number(filters.category) : undefined,
    unit: filters.unit || undefined,
    cityLevel: filters.cityLevel ? filters.cityLevel === 'true' : undefined,
  };
  const list = useLoad(
    async () =>
      plan ? api.taskQuarters(plan.id, { ...scope, lamp: filters.lamp || undefined }) : null,
    [api, plan?.id, filters],
  );
  // Every figure on the page is the server's (GET /plans/:id/stats), narrowed by the same
  // category/unit/★ filters as the grid. The lamp filter only picks which lamp the grid and the
  // overdue list show: the lamp tiles keep counting every lamp, so any of them can be picked next.
  const stats = useLoad(
    async () => (plan ? api.planStats(plan.id, scope) : null),
    [api, plan?.id, filters.category, filters.unit, filters.cityLevel],
  );
  const rows = useMemo(() => toRows(list.data?.items ?? []), [list.data]);
  const cityLevelOf = useMemo(
    () => new Map((list.data?.items ?? []).map((i) => [i.id, i.cityLevel])),
    [list.data],
  );
  const overdue = (stats.data?.overdue ?? []).filter(
    (o) => !filters.lamp || o.lamp === filters.lamp,
  );
  const set = <K extends keyof Filters>(key: K, value: Filters[K]) =>
    setFilters({ ...filters, [key]: value });

  if (planState.plans.error)
    return <ErrorBox message={planState.plans.error} onRetry={planState.plans.reload} />;
  if (planState.plans.data && !plan) return <Empty>尚未导入计划</Empty>;

  return (
    <section className="dashboard" data-testid="dashboard">
      <div className="page-head">
        <h1>督办总览</h1>
        <PlanPicker {...planState} />
      </div>

      <div className="filters" role="search">
        <LabeledSelect
          label="类别"
          name="category"
          value={filters.category}
          onChange={(v) => set('category', v)}
          all="全部类别"
          options={Array.from({ length: plan?.categories ?? 0 }, (_, i) => i + 1).map(
            (n) => [n, `（${CATEGORY_NUMERALS[n] ?? n}）类`] as const,
          )}
        />
        <LabeledSelect
          label="责任单位"
          name="unit"
          value={filters.unit}
          onChange={(v) => set('unit', v)}
          all="全部单位"
          options={(units.data ?? [])
            .filter((u) => u.kind === 'department' || u.kind === 'street_office')
            .map((u) => [u.code, u.name] as const)}
        />
        <LabeledSelect
          label="★ 市民生实事"
          name="cityLevel"
          value={filters.cityLevel}
          onChange={(v) => set('cityLevel', v as Filters['cityLevel'])}
          all="全部"
          options={CITY_LEVEL_OPTIONS}
        />
        <LabeledSelect
          label="状态"
          name="lamp"
          value={filters.lamp}
          onChange={(v) => set('lamp', v as Filters['lamp'])}
          all="全部状态"
          options={LAMPS.map((l) => [l, LAMP_LABELS[l]] as const)}
        />
      </div>

      <StatsSummary
        stats={stats.data ?? null}
        error={stats.error}
        onRetry={stats.reload}
        lamp={filters.lamp}
        onLamp={(l) => set('lamp', filters.lamp === l ? '' : l)}
        unitName={(code) => (units.data ?? []).find((u: Unit) => u.code === code)?.name ?? code}
      />

      {flash && (
        <div className="flash" role="status">
          {flash}
          <button
            type="button"
            className="icon-btn"
            aria-label="关闭提示"
            onClick={() => setFlash(null)}
          >
            ×
          </button>
        </div>
      )}

      <LoadState loaded={list}>
        {(page) =>
          !page || rows.length === 0 ? (
            <Empty>没有符合条件的任务</Empty>
          ) : (
            <div className="grid-wrap">
              <table className="plan-grid" data-testid="plan-grid">
                <thead>
                  <tr>
                    <th className="task-col">任务</th>
                    {[1, 2, 3, 4].map((q) => (
                      <th key={q}>{QUARTER_LABELS[q]}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={row.code}>
                      <th className="task-col" scope="row">
                        {taskTitle({
                          taskCode: row.code,
                          taskName: row.name,
                          cityLevel: row.cityLevel,
                        })}
                      </th>
                      {[1, 2, 3, 4].map((q) => {
                        const cell = row.quarters[q];
                        return (
                          <td
                            key={q}
                            className={cell ? `cell cell-${cell.lamp}` : 'cell cell-none'}
                          >
                            {cell ? (
                              <Link
                                to={taskQuarterPath(cell.id)}
                                data-testid="grid-cell"
                                data-id={cell.id}
                                data-lamp={cell.lamp}
                                title={`${taskTitle(cell)} ${QUARTER_LABELS[q]}：${LAMP_LABELS[cell.lamp]}`}
                              >
                                {LAMP_LABELS[cell.lamp]}
                              </Link>
                            ) : (
                              <span title="本季度无目标或尚未启动">—</span>
                            )}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </LoadState>

      <section className="panel">
        <h2>
          逾期任务（{overdue.length}）
          {filters.lamp && <span className="muted">（仅{LAMP_LABELS[filters.lamp]}）</span>}
        </h2>
        {overdue.length === 0 ? (
          <Empty>当前没有逾期任务</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table overdue-table" data-testid="overdue-list">
              <thead>
                <tr>
                  <th>任务</th>
                  <th>季度</th>
                  <th>截止时间</th>
                  <th>逾期</th>
                  <th>未完成单位</th>
                  {user.role === 'office' && <th />}
                </tr>
              </thead>
              <tbody>
                {overdue.map((item) => (
                  <tr key={item.id} data-testid="overdue-item" data-id={item.id}>
                    <td>
                      <Link to={taskQuarterPath(item.id)}>
                        {taskTitle({ ...item, cityLevel: cityLevelOf.get(item.id) ?? false })}
                      </Link>
                    </td>
                    <td>{QUARTER_LABELS[item.quarter]}</td>
                    <td>{formatDateTime(item.deadline)}</td>
                    <td>{item.overdueDays} 天</td>
                    <td>
                      {item.lagging
                        .map((u) => `${u.unitName}（${label(OWES_LABELS, u.owes)}）`)
                        .join('、') || '待督查室审核'}
                    </td>
                    {user.role === 'office' && (
                      <td>
                        <button
                          type="button"
                          className="btn btn-small"
                          onClick={() => setExtending(item)}
                        >
                          延期
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {plan && (user.role === 'office' || user.role === 'auditor') && (
        <Downloads planId={plan.id} />
      )}

      {extending && (
        <DeadlineDialog
          api={api}
          tq={extending}
          onClose={() => setExtending(null)}
          onDone={(_result, message) => {
            setExtending(null);
            setFlash(`${extending.taskCode} ${QUARTER_LABELS[extending.quarter]}：${message}`);
            list.reload();
            stats.reload();
          }}
        />
      )}
      <LampLegend />
    </section>
  );
}

/** The server's figures: tiles by lamp (they toggle the lamp filter), by phase, and their scope. */
function StatsSummary({
  stats,
  error,
  onRetry,
  lamp,
  onLamp,
  unitName,
}: {
  stats: PlanStats | null;
  error: string | null;
  onRetry: () => void;
  lamp: '' | Lamp;
  onLamp: (lamp: Lamp) => void;
  unitName: (code: string) => string;
}) {
  const { category, unit, cityLevel } = stats?.filter ?? {};
  const scope = [
    category !== undefined && `（${CATEGORY_NUMERALS[category] ?? category}）类`,
    unit !== undefined && unitName(unit),
    cityLevel !== undefined && (cityLevel ? '仅 ★' : '非 ★'),
  ].filter(Boolean);
  return (
    <>
      {error && <ErrorBox message={`统计数据：${error}`} onRetry={onRetry} />}
      <div className="counts" data-testid="counts">
        {LAMPS.map((l) => (
          <button
            key={l}
            type="button"
            className={`count count-${l}${lamp === l ? ' selected' : ''}`}
            onClick={() => onLamp(l)}
            aria-pressed={lamp === l}
            data-testid={`count-${l}`}
          >
            <span className="count-n">{stats ? stats.byLamp[l] : '—'}</span>
            <span className="count-label">{LAMP_LABELS[l]}</span>
          </button>
        ))}
        <div className="count count-total" data-testid="count-total">
          <span className="count-n">{stats ? stats.taskQuarters : '—'}</span>
          <span className="count-label">任务季度</span>
        </div>
      </div>
      <dl className="phase-counts" data-testid="phase-counts">
        {PHASES.map((p) => (
          <div key={p} data-testid={`phase-${p}`}>
            <dt>{PHASE_LABELS[p]}</dt>
            <dd>{stats ? stats.byStatus[p] : '—'}</dd>
          </div>
        ))}
      </dl>
      <p className="stats-scope muted" data-testid="stats-scope">
        {stats ? (
          <>
            统计范围：{scope.length ? scope.join(' · ') : '全计划'}（各灯色合计，不受状态筛选影响）
            · 截至 {formatDateTime(stats.at)}
          </>
        ) : (
          '正在统计…'
        )}
      </p>
    </>
  );
}

function Downloads({ planId }: { planId: string }) {
  const { api } = useSession();
  const [quarter, setQuarter] = useState(() => currentQuarter().quarter);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function download(format: 'xlsx' | 'csv') {
    setBusy(format);
    setError(null);
    try {
      const file = await api.quarterlyTable(planId, quarter, format);
      const url = URL.createObjectURL(new Blob([file.bytes], { type: file.contentType }));
      const a = document.createElement('a');
      a.href = url;
      a.download = file.filename;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="panel">
      <h2>季度汇总表</h2>
      <div className="download-row">
        <select
          aria-label="季度"
          value={quarter}
          onChange={(e) => setQuarter(Number(e.target.value))}
        >
          {[1, 2, 3, 4].map((q) => (
            <option key={q} value={q}>
              {QUARTER_LABELS[q]}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn"
          disabled={busy !== null}
          onClick={() => void download('xlsx')}
        >
          {busy === 'xlsx' ? '正在生成…' : '下载 Excel'}
        </button>
        <button
          type="button"
          className="btn"
          disabled={busy !== null}
          onClick={() => void download('csv')}
        >
          {busy === 'csv' ? '正在生成…' : '下载 CSV'}
        </button>
      </div>
      {error && <ErrorBox message={error} />}
    </section>
  );
}

function LampLegend() {
  return (
    <p className="legend muted">
      {(['green', 'yellow', 'red', 'closed'] as Lamp[]).map((l) => (
        <span key={l}>
          <LampBadge lamp={l} />
        </span>
      ))}
      <span>
        正常：按进度推进；预警：7
        日内截止且有单位未报送；逾期：已过截止时间；办结：督查室已审核办结。
      </span>
    </p>
  );
}
