import type {
  LaggingUnit,
  Lamp,
  Owed,
  Phase,
  TaskQuarterState,
  UnitState,
  UnitStatus,
} from '@duban/contracts';
import { addDays, toDate } from './time';

/** What a unit in this status still owes; null when its report is head-approved. */
export function owedFor(status: UnitStatus): Owed | null {
  switch (status) {
    case 'awaiting_report':
      return 'report';
    case 'returned_by_head':
    case 'returned_by_office':
      return 'resubmission';
    case 'awaiting_head':
      return 'head_approval';
    case 'head_approved':
      return null;
  }
}

export const OWED_ZH: Record<Owed, string> = {
  report: '未报送完成情况',
  resubmission: '被退回，待重新报送',
  head_approval: '待单位负责人审核',
};

/** Every unit that still owes something, in the task's unit order. */
export function laggingUnits(units: readonly UnitState[]): LaggingUnit[] {
  const lagging: LaggingUnit[] = [];
  for (const unit of units) {
    const owes = owedFor(unit.status);
    if (owes) lagging.push({ unitCode: unit.code, unitName: unit.name, owes });
  }
  return lagging;
}

/** Units that have not (re)submitted: the ones warned before the deadline. */
export function unitsOwingASubmission(units: readonly UnitState[]): LaggingUnit[] {
  return laggingUnits(units).filter((u) => u.owes !== 'head_approval');
}

/** Yellow starts this many days before the deadline when reports are missing. */
export const YELLOW_WINDOW_DAYS = 7;

/**
 * The lamp: closed; red once the deadline has passed; yellow when the deadline is within
 * {@link YELLOW_WINDOW_DAYS} days and some unit's report is not yet head-approved; green otherwise.
 */
export function lampAt(
  state: { phase: Phase; deadline: string; units: readonly UnitState[] },
  now: Date,
): Lamp {
  if (state.phase === 'closed') return 'closed';
  const deadline = toDate(state.deadline);
  if (now.getTime() >= deadline.getTime()) return 'red';
  const yellowFrom = addDays(deadline, -YELLOW_WINDOW_DAYS);
  if (now.getTime() >= yellowFrom.getTime() && laggingUnits(state.units).length > 0) {
    return 'yellow';
  }
  return 'green';
}

export type LampInputs = Pick<TaskQuarterState, 'phase' | 'deadline' | 'units'>;
