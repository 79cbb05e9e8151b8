import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import type { Notice } from '../api/types';
import { Empty, LoadState, useLoad } from '../components';
import { formatDateTime, label, NOTICE_KIND_LABELS, OWES_LABELS } from '../labels';
import { useSession, useUser } from '../session';
import { taskQuarterPath } from '../task-quarter-list';

/** The API keeps no read flags; what this user has read is remembered in this browser. */
function useReadKeys(userId: string): [Set<string>, (keys: string[]) => void] {
  const storageKey = `duban.read.${userId}`;
  const [read, setRead] = useState<Set<string>>(() => {
    try {
      return new Set(JSON.parse(localStorage.getItem(storageKey) ?? '[]') as string[]);
    } catch {
      return new Set();
    }
  });
  const markRead = (keys: string[]) => {
    const next = new Set([...read, ...keys]);
    localStorage.setItem(storageKey, JSON.stringify([...next].slice(-2000)));
    setRead(next);
  };
  return [read, markRead];
}

export function NoticesPage() {
  const { api } = useSession();
  const user = useUser();
  const notices = useLoad(() => api.notices(), [api]);
  const [read, markRead] = useReadKeys(user.id);
  const ordered = useMemo(() => {
    const items = notices.data?.items ?? [];
    // Unread first, newest first within each group.
    return [...items].sort(
      (a, b) =>
        Number(read.has(a.key)) - Number(read.has(b.key)) || b.createdAt.localeCompare(a.createdAt),
    );
  }, [notices.data, read]);
  const unread = ordered.filter((n) => !read.has(n.key)).length;

  return (
    <section>
      <div className="page-head">
        <h1>通知</h1>
        <span className="muted">未读 {unread} 条</span>
        <button
          type="button"
          className="btn btn-small"
          disabled={unread === 0}
          onClick={() => markRead(ordered.map((n) => n.key))}
        >
          全部标为已读
        </button>
      </div>
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
                  unread={!read.has(n.key)}
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
