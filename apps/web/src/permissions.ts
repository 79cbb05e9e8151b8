// Which actions the UI offers. The server decides; these only hide what it would refuse anyway.
import type { TaskQuarterDetail, UnitStatus, User } from './api/types';

const OWES_REPORT: UnitStatus[] = ['awaiting_report', 'returned_by_head', 'returned_by_office'];

function open(tq: TaskQuarterDetail): boolean {
  return tq.phase !== 'closed' && tq.phase !== 'not_open';
}

function ownUnit(user: User, tq: TaskQuarterDetail) {
  return user.unitCode ? tq.units.find((u) => u.code === user.unitCode) : undefined;
}

export function canSubmit(user: User, tq: TaskQuarterDetail): boolean {
  const unit = ownUnit(user, tq);
  return user.role === 'staff' && open(tq) && !!unit && OWES_REPORT.includes(unit.status);
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
