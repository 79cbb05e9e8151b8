import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import type { Notice } from '../api/types';
import { Empty, LoadState, useLoad } from '../components';
import { formatDateTime, label, NOTICE_KIND_LABELS, OWES_LABELS } from '../labels';
import { useSession } from '../session';
import { taskQuarterPath } from '../task-quarter-list';

export function NoticesPage() {
  const { api } = useSession();
  const [reload, setReload] = useState(0);
  const notices = useLoad(() => api.notices(), [api, reload]);
  const [markError, setMarkError] = useState<string | null>(null);
  // The server keeps the read state; the page shows it only once the server has confirmed.
  const markRead = (keys: string[]) => {
    setMarkError(null);
    Promise.all(keys.map((key) => api.markNoticeRead(key)))
      .catch((error: unknown) =>
        setMarkError(error instanceof Error ? error.message : String(error)),
      )
      .finally(() => setReload((n) => n + 1));
  };
  const isRead = (n: Notice): boolean => n.read === true;
  const ordered = useMemo(() => {
    const items = notices.data?.items ?? [];
    // Unread first, newest first within each group.
    return [...items].sort(
      (a, b) => Number(isRead(a)) - Number(isRead(b)) || b.createdAt.localeCompare(a.createdAt),
    );
  }, [notices.data]);
  const unread = ordered.filter((n) => !isRead(n)).length;

  return (
    <section>
      <div className="page-head">
        <h1>通知</h1>
        <span className="muted">未读 {unread} 条</span>
        <button
          type="button"
          className="btn btn-small"
          disabled={unread === 0}
          onClick={() => markRead(ordered.filter((n) => !isRead(n)).map((n) => n.key))}
        >
          全部标为已读
        </button>
      </div>
      {markError && (
        <div className="error-box" role="alert">
          标记已读失败：{markError}
        </div>
      )}
      <LoadState loaded={notices}>
        {() =>
          ordered.length === 0 ? (
            <Empty>暂无通知</Empty>
          ) : (
            <ul className="notice-list" data-testid="notice-list">
              {ordered.map((n) => (
                <NoticeItem
                  key={n.key}
                  notice={n}
                  unread={!isRead(n)}
                  onRead={() => markRead([n.key])}
                />
              ))}
            </ul>
          )
        }
      </LoadState>
    </section>
  );
}

export function NoticeItem({
  notice,
  unread,
  onRead,
}: {
  notice: Notice;
  unread: boolean;
  onRead?: () => void;
}) {
  return (
    <li className={`notice${unread ? ' unread' : ''}`} data-testid="notice">
      <div className="notice-head">
        {unread && <span className="unread-dot" aria-label="未读" />}
        <span className={`tag notice-${notice.kind}`}>
          {label(NOTICE_KIND_LABELS, notice.kind)}
        </span>
        <strong>{notice.title}</strong>
      </div>
      <p>{notice.body}</p>
      {notice.lagging.length > 0 && (
        <ul className="lagging">
          {notice.lagging.map((l) => (
            <li key={l.unitCode}>
              {l.unitName}：尚未{label(OWES_LABELS, l.owes)}
            </li>
          ))}
        </ul>
      )}
      <div className="notice-foot">
        <span className="muted">{formatDateTime(notice.createdAt)}</span>
        <Link to={taskQuarterPath(notice.taskQuarterId)} onClick={onRead}>
          查看任务
        </Link>
        {unread && onRead && (
          <button type="button" className="btn btn-small btn-ghost" onClick={onRead}>
            标为已读
          </button>
        )}
      </div>
    </li>
  );
}
