import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import type { Delivery } from '../api/office-types';
import { Dialog, DialogActions, LabeledSelect, useLoad, useSubmit } from '../components';
import {
  CHANNEL_LABELS,
  DELIVERY_STATE_LABELS,
  formatDateTime,
  label,
  NOTICE_KIND_LABELS,
} from '../labels';
import { useSession } from '../session';
import { taskQuarterPath } from '../task-quarter-list';
import { Flash, PagedTable } from './office/common';

const PAGE_SIZES = [20, 50, 100];

/** Only e-mail and webhook deliveries go through the dispatcher; in-app ones are never resent. */
function resendable(d: Delivery): boolean {
  return d.channel === 'email' || d.channel === 'webhook';
}

export function DeliveriesPage() {
  const { api } = useSession();
  const [params, setParams] = useSearchParams();
  const state = params.get('state') ?? '';
  const channel = params.get('channel') ?? '';
  const taskQuarterId = params.get('taskQuarterId') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = PAGE_SIZES.includes(Number(params.get('pageSize')))
    ? Number(params.get('pageSize'))
    : 50;
  const [tqInput, setTqInput] = useState(taskQuarterId);
  const [flash, setFlash] = useState<string | null>(null);
  const [resending, setResending] = useState<Delivery | null>(null);
  const list = useLoad(
    () =>
      api.deliveries({
        state: state || undefined,
        channel: channel || undefined,
        taskQuarterId: taskQuarterId || undefined,
        page,
        pageSize,
      }),
    [api, state, channel, taskQuarterId, page, pageSize],
  );

  /** Changing a filter goes back to the first page; the URL keeps the view across reloads. */
  function update(changes: Record<string, string>) {
    // From the URL as it is now, not as this render saw it (React Router's functional form gets
    // the render's params too): two quick changes before a re-render must both stick.
    const next = new URLSearchParams(window.location.search);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  }

  function applyTaskQuarter(e: FormEvent) {
    e.preventDefault();
    update({ taskQuarterId: tqInput.trim() });
  }

  return (
    <section data-testid="deliveries-page">
      <div className="page-head">
        <h1>通知投递</h1>
        <button
          type="button"
          className="btn btn-small"
          onClick={list.reload}
          disabled={list.loading}
        >
          {list.loading ? '刷新中…' : '刷新'}
        </button>
      </div>
      <p className="muted small">
        每条通知按接收人和渠道（站内、邮件、Webhook）各投递一次。发送失败的邮件或 Webhook
        可在修正联系方式后重发，重发时使用接收人当前的地址。
      </p>
      <Flash message={flash} onClose={() => setFlash(null)} />
      <div className="filters">
        <LabeledSelect
          label="状态"
          ariaLabel="按状态筛选"
          value={state}
          onChange={(v) => update({ state: v })}
          all="全部状态"
          options={Object.entries(DELIVERY_STATE_LABELS)}
        />
        <LabeledSelect
          label="渠道"
          ariaLabel="按渠道筛选"
          value={channel}
          onChange={(v) => update({ channel: v })}
          all="全部渠道"
          options={Object.entries(CHANNEL_LABELS)}
        />
        <form className="filter-form" onSubmit={applyTaskQuarter}>
          <label>
            <span>任务季度</span>
            <input
              aria-label="按任务季度筛选"
              value={tqInput}
              onChange={(e) => setTqInput(e.target.value)}
              onBlur={() =>
                tqInput.trim() !== taskQuarterId && update({ taskQuarterId: tqInput.trim() })
              }
              placeholder="如 tq:2026-jianghai:36.1:Q4"
              maxLength={128}
            />
          </label>
        </form>
        <LabeledSelect
          label="每页"
          ariaLabel="每页条数"
          value={pageSize}
          onChange={(v) => update({ pageSize: v })}
          options={PAGE_SIZES.map((n) => [n, `${n} 条`] as const)}
        />
      </div>
      <PagedTable
        loaded={list}
        empty={state || channel || taskQuarterId ? '没有符合条件的投递记录' : '还没有投递记录'}
        onPage={(p) => update({ page: String(p) })}
        className="table deliveries"
        testId="delivery-list"
        columns={['通知', '接收人', '渠道 / 地址', '状态', '尝试', '时间', '操作']}
        row={(d) => (
          <tr
            key={d.id}
            data-testid="delivery"
            data-id={d.id}
            data-state={d.state}
            data-channel={d.channel}
          >
            <td>
              <span className={`tag notice-${d.kind}`}>{label(NOTICE_KIND_LABELS, d.kind)}</span>{' '}
              <Link to={taskQuarterPath(d.taskQuarterId)}>{d.title}</Link>
            </td>
            <td>{d.username}</td>
            <td>
              <div>{label(CHANNEL_LABELS, d.channel)}</div>
              {d.address && <div className="muted small break">{d.address}</div>}
            </td>
            <td>
              <span className={`tag delivery-${d.state}`} data-testid="delivery-state">
                {label(DELIVERY_STATE_LABELS, d.state)}
              </span>
              {d.lastError && (
                <div className="field-error small" data-testid="last-error">
                  {d.lastError}
                </div>
              )}
            </td>
            <td data-testid="attempts">{d.attempts}</td>
            <td className="small">
              <div>创建 {formatDateTime(d.createdAt)}</div>
              {d.sentAt && <div>发送 {formatDateTime(d.sentAt)}</div>}
              {d.readAt && <div>已读 {formatDateTime(d.readAt)}</div>}
              {d.state === 'pending' && d.nextAttemptAt && (
                <div>下次尝试 {formatDateTime(d.nextAttemptAt)}</div>
              )}
            </td>
            <td>
              {resendable(d) ? (
                <button type="button" className="btn btn-small" onClick={() => setResending(d)}>
                  重发
                </button>
              ) : (
                <span className="muted small" title="站内通知写入即送达，无需重发">
                  —
                </span>
              )}
            </td>
          </tr>
        )}
      />
      {resending && (
        <ResendDialog
          delivery={resending}
          onClose={() => setResending(null)}
          onDone={(d) => {
            setResending(null);
            setFlash(
              `已重新排队：发给 ${d.username} 的${label(CHANNEL_LABELS, d.channel)}（${d.address ?? '无地址'}），当前状态：${label(DELIVERY_STATE_LABELS, d.state)}`,
            );
            list.reload();
          }}
        />
      )}
    </section>
  );
}

function ResendDialog({
  delivery,
  onClose,
  onDone,
}: {
  delivery: Delivery;
  onClose: () => void;
  onDone: (d: Delivery) => void;
}) {
  const { api } = useSession();
  const submitting = useSubmit();

  return (
    <Dialog title="重发通知" onClose={onClose} testId="resend-dialog">
      <div className="form">
        <p>
          将“{delivery.title}”重新发给 <strong>{delivery.username}</strong>（
          {label(CHANNEL_LABELS, delivery.channel)}）。
        </p>
        <p className="muted small">
          重发会重置尝试次数，并使用接收人当前的联系方式（原地址：{delivery.address ?? '无'}
          ）。接收人会收到一条新消息。
        </p>
        <DialogActions
          submitting={submitting}
          onCancel={onClose}
          label="确认重发"
          busyLabel="正在重发…"
          onConfirm={() => void submitting.run(() => api.resendDelivery(delivery.id), onDone)}
        />
      </div>
    </Dialog>
  );
}
