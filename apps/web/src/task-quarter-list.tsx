import { Link } from 'react-router-dom';
import { enc } from './api/client';
import type { InboxItem, TaskQuarterSummary } from './api/types';
import { LampBadge } from './components';
import {
  formatDateTime,
  INBOX_REASON_LABELS,
  label,
  PHASE_LABELS,
  QUARTER_LABELS,
  taskTitle,
  UNIT_STATUS_LABELS,
} from './labels';

export function taskQuarterPath(id: string): string {
  return `/task-quarters/${enc(id)}`;
}

/** One task-quarter as a card: what, when, where it stands and who it waits for. */
export function TaskQuarterCard({
  item,
  highlightUnit,
}: {
  item: TaskQuarterSummary | InboxItem;
  highlightUnit?: string | null;
}) {
  const reason = 'reason' in item ? item.reason : null;
  return (
    <Link to={taskQuarterPath(item.id)} className="tq-card" data-testid="tq-card" data-id={item.id}>
      <div className="tq-card-top">
        <LampBadge lamp={item.lamp} />
        {reason && <span className="tag tag-reason">{label(INBOX_REASON_LABELS, reason)}</span>}
        <span className="tag">{QUARTER_LABELS[item.quarter]}</span>
        <span className="tag tag-quiet">{label(PHASE_LABELS, item.phase)}</span>
        {item.escalationLevel > 0 && (
          <span className="tag tag-alert">催办 {item.escalationLevel} 级</span>
        )}
      </div>
      <div className="tq-card-title">{taskTitle(item)}</div>
      {item.target && <div className="tq-card-target">本季度目标：{item.target}</div>}
      <div className="tq-card-meta">
        <span>截止：{formatDateTime(item.deadline)}</span>
      </div>
      <ul className="unit-chips">
        {item.units.map((u) => (
          <li
            key={u.code}
            className={`unit-chip unit-${u.status}${u.code === highlightUnit ? ' unit-mine' : ''}`}
            title={label(UNIT_STATUS_LABELS, u.status)}
          >
            {u.name}
            {u.lead ? '（牵头）' : ''}：{label(UNIT_STATUS_LABELS, u.status)}
          </li>
        ))}
      </ul>
    </Link>
  );
}
