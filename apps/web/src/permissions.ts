// Which actions the UI offers. The server decides; these only hide what it would refuse anyway.
import type { TaskQuarterDetail, UnitStatus, User } from './api/types';

// A report still waiting for its head may be replaced by a corrected version.
const MAY_REPORT: UnitStatus[] = [
  'awaiting_report',
  'returned_by_head',
  'returned_by_office',
  'awaiting_head',
];

function open(tq: TaskQuarterDetail): boolean {
  return tq.phase !== 'closed' && tq.phase !== 'not_open';
}

function ownUnit(user: User, tq: TaskQuarterDetail) {
  return user.unitCode ? tq.units.find((u) => u.code === user.unitCode) : undefined;
}

export function canSubmit(user: User, tq: TaskQuarterDetail): boolean {
  const unit = ownUnit(user, tq);
  return (
    user.role === 'staff' && tq.phase === 'reporting' && !!unit && MAY_REPORT.includes(unit.status)
  );
}

export function canDecideAsHead(user: User, tq: TaskQuarterDetail): boolean {
  const unit = ownUnit(user, tq);
  return user.role === 'head' && open(tq) && unit?.status === 'awaiting_head';
}

export function canReview(user: User, tq: TaskQuarterDetail): boolean {
  return user.role === 'office' && tq.phase === 'office_review';
}

export function canMoveDeadline(user: User, tq: TaskQuarterDetail): boolean {
  return user.role === 'office' && tq.phase !== 'closed';
}

export function canAudit(user: User): boolean {
  return user.role === 'auditor' || user.role === 'office';
}
