import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { enc } from '../api/client';
import type { ReplayReport } from '../api/types';
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
  formatDateTime,
  label,
  QUARTER_LABELS,
  QUARTER_OPTIONS,
  ROLE_LABELS,
  taskTitle,
} from '../labels';
import { PlanPicker, usePlan } from '../plan';
import { useSession } from '../session';
import { taskQuarterPath } from '../task-quarter-list';

/** The auditor picks a task-quarter to examine. */
export function AuditIndexPage() {
  const { api } = useSession();
  const planState = usePlan();
  const { plan } = planState;
  const [search, setSearch] = useState('');
  const [quarter, setQuarter] = useState('');
  const navigate = useNavigate();
  const list = useLoad(
    async () =>
      plan ? api.taskQuarters(plan.id, { quarter: quarter ? Number(quarter) : undefined }) : null,
    [api, plan?.id, quarter],
  );
  const items = useMemo(() => {
    const needle = search.trim();
    return (list.data?.items ?? [])
      .filter((i) => !needle || i.taskCode.startsWith(needle) || i.taskName.includes(needle))
      .sort((a, b) => compareTaskCodes(a.taskCode, b.taskCode) || a.quarter - b.quarter);
  }, [list.data, search]);

  return (
    <section>
      <div className="page-head">
        <h1>审计</h1>
        <PlanPicker {...planState} />
      </div>
      <p className="muted">选择任务季度，查看其工作流历史时间线，并重放历史核对数据库记录。</p>
      <div className="filters">
        <label>
          <span>任务</span>
          <input
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="编号或名称，如 36.1"
          />
        </label>
        <LabeledSelect
          label="季度"
          value={quarter}
          onChange={setQuarter}
          all="全部季度"
          options={QUARTER_OPTIONS}
        />
      </div>
      <LoadState loaded={list}>
        {() =>
          items.length === 0 ? (
            <Empty>没有符合条件的任务季度</Empty>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th>任务</th>
                  <th>季度</th>
                  <th>状态</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {items.slice(0, 200).map((i) => (
                  <tr
                    key={i.id}
                    className="clickable"
                    onClick={() => void navigate(`/audit/${enc(i.id)}`)}
                  >
                    <td>{taskTitle(i)}</td>
                    <td>{QUARTER_LABELS[i.quarter]}</td>
                    <td>
                      <LampBadge lamp={i.lamp} />
                    </td>
                    <td>
                      <Link to={`/audit/${enc(i.id)}`}>审计</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </LoadState>
    </section>
  );
}

/** One task-quarter's history as a timeline, with a replay against the database. */
export function AuditPage() {
  const { id = '' } = useParams();
  const { api } = useSession();
  const history = useLoad(() => api.auditHistory(id), [api, id]);
  const [replay, setReplay] = useState<ReplayReport | null>(null);
  const [replaying, setReplaying] = useState(false);
  const [replayError, setReplayError] = useState<string | null>(null);

  async function runReplay() {
    setReplaying(true);
    setReplayError(null);
    setReplay(null);
    try {
      setReplay(await api.replay(id));
    } catch (e) {
      setReplayError(errorMessage(e));
    } finally {
      setReplaying(false);
    }
  }

  return (
    <section data-testid="audit">
      <div className="breadcrumb">
        <Link to="/audit">审计</Link> / <Link to={taskQuarterPath(id)}>{id}</Link>
      </div>
      <div className="page-head">
        <h1>审计：{id}</h1>
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => void runReplay()}
          disabled={replaying}
        >
          {replaying ? '正在重放…' : '重放并核对'}
        </button>
      </div>
      {replayError && <ErrorBox message={replayError} />}
      {replay && <ReplayResult report={replay} />}
      <LoadState loaded={history}>
        {(h) => (
          <section className="panel">
            <h2>时间线</h2>
            <p className="muted">
              来源：{h.source === 'temporal' ? 'Temporal 服务器' : '历史归档'} · 运行{' '}
              {h.runs.length} 次 · 事件 {h.runs.reduce((n, r) => n + r.events, 0)} 个
            </p>
            {h.items.length === 0 ? (
              <Empty>暂无记录</Empty>
            ) : (
              <ol className="timeline audit-timeline" data-testid="timeline">
                {h.items.map((item) => (
                  <li key={`${item.runId}-${item.index}`} className={`tl-${item.type}`}>
                    <div className="tl-time">{formatDateTime(item.at)}</div>
                    <div>
                      <strong>{item.text}</strong>
                      {item.actor && (
                        <span className="muted">
                          {' '}
                          · {item.actor.name}（{label(ROLE_LABELS, item.actor.role)}）
                        </span>
                      )}
                    </div>
                    <div className="muted small">
                      事件 #{item.eventId}
                      {item.seq !== null ? ` · 审计序号 ${item.seq}` : ''}
                    </div>
                  </li>
                ))}
              </ol>
            )}
          </section>
        )}
      </LoadState>
    </section>
  );
}

const DIFFERENCE_KINDS: Record<string, string> = {
  changed: '不一致',
  missing: '数据库缺少',
  added: '数据库多出',
};

function ReplayResult({ report }: { report: ReplayReport }) {
  const ok = report.deterministic && report.matchesDatabase !== false;
  return (
    <div
      className={`replay ${ok ? 'replay-ok' : 'replay-bad'}`}
      data-testid="replay-result"
      role="status"
    >
      <div>
        <strong>
          {report.deterministic
            ? '✔ 重放确定：历史可由当前代码完整重放'
            : '✘ 重放不确定：当前代码与历史不一致'}
        </strong>
      </div>
      <div>
        {report.matchesDatabase === null
          ? '未与数据库核对（数据库中没有对应记录）'
          : report.matchesDatabase
            ? '✔ 数据库记录与工作流历史一致'
            : `✘ 数据库记录与工作流历史不一致（${report.differences.length} 处差异）`}
      </div>
      {report.runs
        ?.filter((r) => r.error)
        .map((r) => (
          <pre key={r.runId} className="small">
            {r.error}
          </pre>
        ))}
      {report.differences.length > 0 && (
        <table className="table" data-testid="differences">
          <thead>
            <tr>
              <th>表</th>
              <th>差异</th>
              <th>记录</th>
              <th>说明</th>
            </tr>
          </thead>
          <tbody>
            {report.differences.map((d, i) => (
              <tr key={i}>
                <td>{d.table}</td>
                <td>{DIFFERENCE_KINDS[d.kind] ?? d.kind}</td>
                <td>{d.key}</td>
                <td>
                  {d.message}
                  {d.fields?.map((f) => (
                    <div key={f.field} className="small muted">
                      {f.field}：历史为 {JSON.stringify(f.expected)}，数据库为{' '}
                      {JSON.stringify(f.actual)}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.note && <div className="muted">{report.note}</div>}
    </div>
  );
}
