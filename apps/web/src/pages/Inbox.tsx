import { LoadState, Empty, useLoad } from '../components';
import { ROLE_LABELS } from '../labels';
import { useSession, useUser } from '../session';
import { TaskQuarterCard } from '../task-quarter-list';

export function InboxPage() {
  const { api } = useSession();
  const user = useUser();
  const inbox = useLoad(() => api.inbox(), [api]);
  return (
    <section>
      <div className="page-head">
        <h1>我的待办</h1>
        <span className="muted">
          {ROLE_LABELS[user.role]}
          {inbox.data ? ` · 共 ${inbox.data.total} 项` : ''}
        </span>
        <button
          type="button"
          className="btn btn-small"
          onClick={inbox.reload}
          disabled={inbox.loading}
        >
          刷新
        </button>
      </div>
      <LoadState loaded={inbox}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty>暂无待办事项</Empty>
          ) : (
            <div className="card-list" data-testid="inbox-list">
              {page.items.map((item) => (
                <TaskQuarterCard key={item.id} item={item} highlightUnit={user.unitCode} />
              ))}
            </div>
          )
        }
      </LoadState>
    </section>
  );
}
