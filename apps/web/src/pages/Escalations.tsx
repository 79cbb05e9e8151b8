import { Empty, LoadState, useLoad } from '../components';
import { useSession } from '../session';
import { TaskQuarterCard } from '../task-quarter-list';
import { NoticeItem } from './Notices';

/** The leader's view: open task-quarters that have been escalated, and the escalation notices. */
export function EscalationsPage() {
  const { api } = useSession();
  const inbox = useLoad(() => api.inbox(), [api]);
  const notices = useLoad(() => api.notices({ kind: 'escalation' }), [api]);
  return (
    <section>
      <div className="page-head">
        <h1>催办督办</h1>
        <span className="muted">已升级至区领导的逾期任务</span>
      </div>
      <LoadState loaded={inbox}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty>目前没有升级催办的任务</Empty>
          ) : (
            <div className="card-list" data-testid="escalation-list">
              {[...page.items]
                .sort(
                  (a, b) =>
                    b.escalationLevel - a.escalationLevel || a.deadline.localeCompare(b.deadline),
                )
                .map((item) => (
                  <TaskQuarterCard key={item.id} item={item} />
                ))}
            </div>
          )
        }
      </LoadState>
      <h2 className="section-title">催办通知</h2>
      <LoadState loaded={notices}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty>暂无催办通知</Empty>
          ) : (
            <ul className="notice-list">
              {page.items.map((n) => (
                <NoticeItem key={n.key} notice={n} unread={false} />
              ))}
            </ul>
          )
        }
      </LoadState>
    </section>
  );
}
