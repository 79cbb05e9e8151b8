import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { enc, type ApiClient } from '../api/client';
import type { TaskQuarterDetail, UpdateResult, User } from '../api/types';
import { DeadlineDialog, DecisionDialog, ReportDialog } from '../actions';
import { Empty, ErrorBox, errorMessage, LampBadge, Spinner } from '../components';
import {
  formatDateTime,
  label,
  NOTICE_KIND_LABELS,
  OWES_LABELS,
  PHASE_LABELS,
  QUARTER_LABELS,
  REPORT_STATUS_LABELS,
  ROLE_LABELS,
  UNIT_STATUS_LABELS,
} from '../labels';
import { canAudit, canDecideAsHead, canMoveDeadline, canReview, canSubmit } from '../permissions';
import { useSession, useUser } from '../session';

type OpenDialog =
  | { kind: 'report' }
  | { kind: 'head'; decision: 'approve' | 'return' }
  | { kind: 'office'; decision: 'approve' | 'return' }
  | { kind: 'deadline' }
  | null;

/** Reads until the view reflects the action's audit event, so the page never shows less than the server confirmed. */
async function readAtLeast(api: ApiClient, id: string, seq: number): Promise<TaskQuarterDetail> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const detail = await api.taskQuarter(id);
    if (detail.seq >= seq || Date.now() > deadline) return detail;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export function TaskQuarterPage() {
  const { id = '' } = useParams();
  const { api } = useSession();
  const user = useUser();
  const [tq, setTq] = useState<TaskQuarterDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const [refreshing, setRefreshing] = useState(false);

  const load = useCallback(
    async (seq = 0) => {
      setRefreshing(true);
      try {
        setTq(await readAtLeast(api, id, seq));
        setError(null);
      } catch (e) {
        setError(errorMessage(e));
      } finally {
        setRefreshing(false);
      }
    },
    [api, id],
  );

  useEffect(() => {
    setTq(null);
    void load();
  }, [load]);

  const onDone = useCallback(
    (result: UpdateResult, message: string) => {
      setDialog(null);
      setFlash(message);
      void load(result.seq);
    },
    [load],
  );
  const close = useCallback(() => setDialog(null), []);

  if (!tq) return error ? <ErrorBox message={error} onRetry={() => void load()} /> : <Spinner />;

  return (
    <article
      className="tq-page"
      data-testid="task-quarter"
      data-lamp={tq.lamp}
      data-phase={tq.phase}
    >
      <div className="breadcrumb">
        <Link to="/">首页</Link> / 任务 {tq.taskCode} / {QUARTER_LABELS[tq.quarter]}
      </div>
      <header className="tq-head">
        <div className="tq-head-tags">
          <LampBadge lamp={tq.lamp} />
          <span className="tag">{QUARTER_LABELS[tq.quarter]}</span>
          <span className="tag tag-quiet" data-testid="phase">
            {label(PHASE_LABELS, tq.phase)}
          </span>
          {tq.cityLevel && <span className="tag tag-star">★ 市民生实事</span>}
          {tq.escalationLevel > 0 && (
            <span className="tag tag-alert">催办 {tq.escalationLevel} 级</span>
          )}
        </div>
        <h1>
          {tq.taskCode} {tq.taskName}
        </h1>
        <div className="tq-deadline">
          截止时间：<strong>{formatDateTime(tq.deadline)}</strong> 前
          {tq.closedAt && <span> · 办结于 {formatDateTime(tq.closedAt)}</span>}
          {refreshing && <span className="muted"> · 正在刷新…</span>}
        </div>
      </header>

      {flash && (
        <div className="flash" role="status" data-testid="flash">
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
      {error && <ErrorBox message={error} onRetry={() => void load()} />}

      <Actions user={user} tq={tq} open={setDialog} />

      <section className="panel">
        <h2>目标</h2>
        <p className="goal">{tq.goal}</p>
        <div className="target-now">
          <span className="label">本季度目标</span>
          <span data-testid="target">{tq.target ?? '本季度无目标'}</span>
        </div>
        <table className="table compact">
          <thead>
            <tr>
              <th>季度</th>
              <th>目标</th>
            </tr>
          </thead>
          <tbody>
            {tq.targets.map((t) => (
              <tr key={t.quarter} className={t.quarter === tq.quarter ? 'current' : undefined}>
                <td>{QUARTER_LABELS[t.quarter]}</td>
                <td>
                  {t.text ?? '—'}
                  {t.inferred && <span className="tag tag-quiet">合并单元格推定</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="panel">
        <h2>责任单位与报送</h2>
        <div className="units">
          {tq.units.map((u) => (
            <div
              key={u.code}
              className={`unit-block${u.code === user.unitCode ? ' unit-mine' : ''}`}
              data-testid={`unit-${u.code}`}
            >
              <div className="unit-head">
                <strong>{u.name}</strong>
                {u.lead && <span className="tag tag-quiet">牵头</span>}
                <span className={`status status-${u.status}`} data-testid="unit-status">
                  {label(UNIT_STATUS_LABELS, u.status)}
                </span>
                {u.waitingSince && (
                  <span className="muted">自 {formatDateTime(u.waitingSince)} 起等待</span>
                )}
              </div>
              <EventList
                items={[...u.reports].reverse()}
                itemKey={(r) => r.version}
                empty={<div className="muted">尚未报送</div>}
                className="versions"
                reversed
                itemClassName={() => 'version'}
                itemTestId="report-version"
              >
                {(r) => (
                  <>
                    <div className="version-head">
                      <span className="tag">第 {r.version} 版</span>
                      <span className={`report-status rs-${r.status}`}>
                        {label(REPORT_STATUS_LABELS, r.status)}
                      </span>
                      <span className="muted">
                        {r.submittedBy.name} · {formatDateTime(r.submittedAt)}
                      </span>
                    </div>
                    <p>{r.summary}</p>
                    {r.explanation && <p className="explanation">说明：{r.explanation}</p>}
                    {r.figures && Object.keys(r.figures).length > 0 && (
                      <dl className="figures">
                        {Object.entries(r.figures).map(([k, v]) => (
                          <div key={k}>
                            <dt>{k}</dt>
                            <dd>{String(v)}</dd>
                          </div>
                        ))}
                      </dl>
                    )}
                  </>
                )}
              </EventList>
            </div>
          ))}
        </div>
      </section>

      <section className="panel">
        <h2>审核记录</h2>
        <EventList
          items={tq.decisions}
          itemKey={(d) => d.seq}
          empty={<Empty>暂无审核记录</Empty>}
          testId="decisions"
          itemClassName={(d) => `decision decision-${d.decision}`}
        >
          {(d) => (
            <>
              <div>
                <strong>
                  {d.level === 'head' ? '单位负责人' : '区督查室'}
                  {d.decision === 'approve' ? '审核通过' : '退回'}
                </strong>
                {d.units.length > 0 && (
                  <span className="muted">
                    {' '}
                    · {d.units.map((c) => tq.units.find((u) => u.code === c)?.name ?? c).join('、')}
                  </span>
                )}
              </div>
              {d.comment && <div className="comment">“{d.comment}”</div>}
              <div className="muted">
                {d.actor.name}（{label(ROLE_LABELS, d.actor.role)}）· {formatDateTime(d.at)}
              </div>
            </>
          )}
        </EventList>
      </section>

      <section className="panel">
        <h2>截止时间调整</h2>
        <EventList
          items={tq.deadlineHistory}
          itemKey={(c) => c.seq}
          empty={<Empty>截止时间未调整过</Empty>}
        >
          {(c) => (
            <>
              <div>
                {formatDateTime(c.from)} → <strong>{formatDateTime(c.to)}</strong>
              </div>
              <div className="comment">原因：{c.reason}</div>
              <div className="muted">
                {c.actor.name} · {formatDateTime(c.at)}
              </div>
            </>
          )}
        </EventList>
      </section>

      <section className="panel">
        <h2>通知</h2>
        <EventList items={tq.notices} itemKey={(n) => n.key} empty={<Empty>暂无通知</Empty>}>
          {(n) => (
            <>
              <div>
                <span className={`tag notice-${n.kind}`}>{label(NOTICE_KIND_LABELS, n.kind)}</span>{' '}
                <strong>{n.title}</strong>
              </div>
              <div>{n.body}</div>
              {n.lagging.length > 0 && (
                <div className="muted">
                  未完成：
                  {n.lagging
                    .map((l) => `${l.unitName}（${label(OWES_LABELS, l.owes)}）`)
                    .join('、')}
                </div>
              )}
              <div className="muted">{formatDateTime(n.createdAt)}</div>
            </>
          )}
        </EventList>
      </section>

      {canAudit(user) && (
        <p>
          <Link to={`/audit/${enc(tq.id)}`} className="btn btn-ghost">
            查看审计记录
          </Link>
        </p>
      )}

      {dialog?.kind === 'report' && (
        <ReportDialog api={api} tq={tq} onClose={close} onDone={onDone} />
      )}
      {dialog?.kind === 'head' && user.unitCode && (
        <DecisionDialog
          api={api}
          tq={tq}
          by={{ level: 'head', unitCode: user.unitCode }}
          decision={dialog.decision}
          onClose={close}
          onDone={onDone}
        />
      )}
      {dialog?.kind === 'office' && (
        <DecisionDialog
          api={api}
          tq={tq}
          by={{ level: 'office' }}
          decision={dialog.decision}
          onClose={close}
          onDone={onDone}
        />
      )}
      {dialog?.kind === 'deadline' && (
        <DeadlineDialog api={api} tq={tq} onClose={close} onDone={onDone} />
      )}
    </article>
  );
}

/**
 * The page's lists (report versions, decisions, deadline changes, notices): the items in order,
 * each rendered by `children`, or `empty` when there are none.
 */
function EventList<T>({
  items,
  itemKey,
  empty,
  children,
  className = 'timeline',
  reversed = false,
  testId,
  itemClassName,
  itemTestId,
}: {
  items: readonly T[];
  itemKey: (item: T) => string | number;
  empty: ReactNode;
  children: (item: T) => ReactNode;
  className?: string;
  /** An ordered list counting down (newest first, numbered by version). */
  reversed?: boolean;
  testId?: string;
  itemClassName?: (item: T) => string;
  itemTestId?: string;
}) {
  if (items.length === 0) return <>{empty}</>;
  const entries = items.map((item) => (
    <li key={itemKey(item)} className={itemClassName?.(item)} data-testid={itemTestId}>
      {children(item)}
    </li>
  ));
  return reversed ? (
    <ol className={className} reversed data-testid={testId}>
      {entries}
    </ol>
  ) : (
    <ul className={className} data-testid={testId}>
      {entries}
    </ul>
  );
}

/** Only the actions this user may take now; nothing at all for everyone else. */
function Actions({
  user,
  tq,
  open,
}: {
  user: User;
  tq: TaskQuarterDetail;
  open: (d: OpenDialog) => void;
}) {
  const buttons = [];
  if (canSubmit(user, tq)) {
    buttons.push(
      <button
        key="report"
        type="button"
        className="btn btn-primary"
        onClick={() => open({ kind: 'report' })}
      >
        {tq.units.find((u) => u.code === user.unitCode)?.status === 'awaiting_head'
          ? '修改报送'
          : '填报完成情况'}
      </button>,
    );
  }
  if (canDecideAsHead(user, tq)) {
    buttons.push(
      <button
        key="approve"
        type="button"
        className="btn btn-primary"
        onClick={() => open({ kind: 'head', decision: 'approve' })}
      >
        审核通过
      </button>,
      <button
        key="return"
        type="button"
        className="btn btn-danger"
        onClick={() => open({ kind: 'head', decision: 'return' })}
      >
        退回
      </button>,
    );
  }
  if (canReview(user, tq)) {
    buttons.push(
      <button
        key="close"
        type="button"
        className="btn btn-primary"
        onClick={() => open({ kind: 'office', decision: 'approve' })}
      >
        审核办结
      </button>,
      <button
        key="office-return"
        type="button"
        className="btn btn-danger"
        onClick={() => open({ kind: 'office', decision: 'return' })}
      >
        退回单位
      </button>,
    );
  }
  if (canMoveDeadline(user, tq)) {
    buttons.push(
      <button
        key="deadline"
        type="button"
        className="btn"
        onClick={() => open({ kind: 'deadline' })}
      >
        调整截止时间
      </button>,
    );
  }
  if (buttons.length === 0) return null;
  return (
    <div className="action-bar" data-testid="actions">
      {buttons}
    </div>
  );
}
