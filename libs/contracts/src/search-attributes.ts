import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/*
 * Custom search attributes of task-quarter workflows. These exact names and types are registered
 * on the dev server by the infra scripts, so `temporal workflow list --query "DubanLamp='red'"`
 * finds task-quarters.
 */
export const DUBAN_PLAN = defineSearchAttributeKey('DubanPlan', SearchAttributeType.KEYWORD);
export const DUBAN_TASK = defineSearchAttributeKey('DubanTask', SearchAttributeType.KEYWORD);
export const DUBAN_QUARTER = defineSearchAttributeKey('DubanQuarter', SearchAttributeType.INT);
/** The task-quarter's phase (`not_open`, `reporting`, `office_review`, `closed`). */
export const DUBAN_STATUS = defineSearchAttributeKey('DubanStatus', SearchAttributeType.KEYWORD);
export const DUBAN_LAMP = defineSearchAttributeKey('DubanLamp', SearchAttributeType.KEYWORD);
/** Codes of the responsible units (collectives already expanded). */
export const DUBAN_UNITS = defineSearchAttributeKey('DubanUnits', SearchAttributeType.KEYWORD_LIST);

export const DUBAN_SEARCH_ATTRIBUTES = [
  DUBAN_PLAN,
  DUBAN_TASK,
  DUBAN_QUARTER,
  DUBAN_STATUS,
  DUBAN_LAMP,
  DUBAN_UNITS,
] as const;
