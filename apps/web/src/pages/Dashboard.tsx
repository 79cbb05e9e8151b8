import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import type { Lamp, TaskQuarterSummary } from '../api/types';
import { DeadlineDialog } from '../actions';
import { Empty, ErrorBox, errorMessage, LampBadge, LoadState, useLoad } from '../components';
import {
  compareTaskCodes,
  currentQuarter,
  formatDateTime,
  LAMP_LABELS,
  QUARTER_LABELS,
  taskTitle,
} from '../labels';
import { PlanPicker, usePlan } from '../plan';
import { useSession, useUser } from '../session';
import { taskQuarterPath } from '../task-quarter-list';

const LAMPS: Lamp[] = ['green', 'yellow', 'red', 'closed'];
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
  const [extending, setExtending] = useState<TaskQuarterSummary | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const units = useLoad(async () => (await api.units()).items, [api]);
  const list = useLoad(
    async () =>
      plan
        ? api.taskQuarters(plan.id, {
            category: filters.category ? Number(filters.category) : undefined,
            unit: filters.unit || undefined,
            cityLevel: filters.cityLevel ? filters.cityLevel === 'true' : undefined,
            lamp: filters.lamp || undefined,
          })
        : null,
    [api, plan?.id, filters],
  );
  const rows = useMemo(() => toRows(list.data?.items ?? []), [list.data]);
  const counts = useMemo(() => {
    const c: Record<Lamp, number> = { green: 0, yellow: 0, red: 0, closed: 0 };
    for (const item of list.data?.items ?? []) c[item.lamp] = (c[item.lamp] ?? 0) + 1;
    return c;
  }, [list.data]);
  const overdue = useMemo(
    () =>
      (list.data?.items ?? [])
        .filter((i) => i.lamp === 'red')
        .sort(
          (a, b) =>
            a.deadline.localeCompare(b.deadline) || compareTaskCodes(a.taskCode, b.taskCode),
        ),
    [list.data],
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
        <label>
          <span>类别</span>
          <select
            name="category"
            value={filters.category}
            onChange={(e) => set('category', e.target.value)}
          >
            <option value="">全部类别</option>
            {Array.from({ length: plan?.categories ?? 0 }, (_, i) => i + 1).map((n) => (
              <option key={n} value={n}>
                （{CATEGORY_NUMERALS[n] ?? n}）类
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>责任单位</span>
          <select name="unit" value={filters.unit} onChange={(e) => set('unit', e.target.value)}>
            <option value="">全部单位</option>
            {(units.data ?? [])
              .filter((u) => u.kind === 'department' || u.kind === 'street_office')
              .map((u) => (
                <option key={u.code} value={u.code}>
                  {u.name}
                </option>
              ))}
          </select>
        </label>
        <label>
          <span>★ 市民生实事</span>
          <select
            name="cityLevel"
            value={filters.cityLevel}
            onChange={(e) => set('cityLevel', e.target.value as Filters['cityLevel'])}
          >
            <option value="">全部</option>
            <option value="true">仅 ★</option>
            <option value="false">非 ★</option>
          </select>
        </label>
        <label>
          <span>状态</span>
          <select
            name="lamp"
            value={filters.lamp}
            onChange={(e) => set('lamp', e.target.value as Filters['lamp'])}
          >
            <option value="">全部状态</option>
            {LAMPS.map((l) => (
              <option key={l} value={l}>
                {LAMP_LABELS[l]}
              </option>
            ))}
          </select>
        </label>
      </div>

      <div className="counts" data-testid="counts">
        {LAMPS.map((l) => (
          <button
            key={l}
            type="button"
            className={`count count-${l}${filters.lamp === l ? ' selected' : ''}`}
            onClick={() => set('lamp', filters.lamp === l ? '' : l)}
            data-testid={`count-${l}`}
          >
            <span className="count-n">{counts[l]}</span>
            <span className="count-label">{LAMP_LABELS[l]}</span>
          </button>
        ))}
        <div className="count count-total">
          <span className="count-n">{list.data?.total ?? '—'}</span>
          <span className="count-label">任务季度</span>
        </div>
      </div>

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
        <h2>逾期任务（{overdue.length}）</h2>
        {overdue.length === 0 ? (
          <Empty>当前没有逾期任务</Empty>
        ) : (
          <table className="table" data-testid="overdue-list">
            <thead>
              <tr>
                <th>任务</th>
                <th>季度</th>
                <th>截止时间</th>
                <th>未完成单位</th>
                {user.role === 'office' && <th />}
              </tr>
            </thead>
            <tbody>
              {overdue.map((item) => (
                <tr key={item.id}>
                  <td>
                    <Link to={taskQuarterPath(item.id)}>{taskTitle(item)}</Link>
                  </td>
                  <td>{QUARTER_LABELS[item.quarter]}</td>
                  <td>{formatDateTime(item.deadline)}</td>
                  <td>
                    {item.units
                      .filter((u) => u.status !== 'head_approved')
                      .map((u) => u.name)
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
          }}
        />
      )}
      <LampLegend />
    </section>
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
