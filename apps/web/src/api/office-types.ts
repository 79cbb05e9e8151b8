// Shapes of the office's administration endpoints (plans, deliveries, contacts) as the UI reads
// them; see apps/api/src/plans/dto and apps/api/src/notices/dto. Free of DOM types like types.ts.
// A plan's tasks keep the parser's own shapes, imported as types only (see types.ts).
import type { ParsedTarget, ParsedTask } from '@duban/plan-import';

export interface PlanDetail {
  id: string;
  docNumber: string;
  title: string;
  year: number;
  sourceYear: number;
  issuedOn: string;
  reportTo: string;
  issuers: string[];
  /** `imported` or `active`. */
  status: string;
  importedAt: string;
  activatedAt: string | null;
  categories: number;
  tasks: number;
  cityLevelTasks: number;
}

export interface ImportedPlan extends PlanDetail {
  /** False when the same document was already stored for that year. */
  created: boolean;
}

export interface ImportPlanRequest {
  document: string;
  encoding?: 'text' | 'base64';
  year?: number;
}

export interface ActivationResult {
  planId: string;
  fromQuarter: number;
  taskQuarters: number;
  started: number;
  alreadyStarted: number;
}

export type DeliveryState = 'pending' | 'sending' | 'sent' | 'failed' | 'read';
export type DeliveryChannel = 'in_app' | 'email' | 'webhook';

export interface Delivery {
  id: string;
  noticeKey: string;
  taskQuarterId: string;
  title: string;
  kind: string;
  channel: DeliveryChannel;
  state: DeliveryState;
  userId: string;
  username: string;
  address: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  sentAt: string | null;
  readAt: string | null;
  createdAt: string;
}

export interface DeliveryFilter {
  state?: string;
  channel?: string;
  taskQuarterId?: string;
  page?: number;
  pageSize?: number;
}

export interface UnitContact {
  code: string;
  name: string;
  email: string | null;
  webhookUrl: string | null;
}

/** A field left out is unchanged; null clears it. */
export interface UpdateUnitContact {
  email?: string | null;
  webhookUrl?: string | null;
}

export interface UserContact {
  id: string;
  username: string;
  role: string;
  unitCode: string | null;
  email: string | null;
  webhookUrl: string | null;
  emailEnabled: boolean;
  webhookEnabled: boolean;
}

export interface UserContactListItem extends UserContact {
  name: string;
  active: boolean;
}

export interface UpdateUserContact extends UpdateUnitContact {
  emailEnabled?: boolean;
  webhookEnabled?: boolean;
}

export interface UserContactFilter {
  unitCode?: string;
  role?: string;
  page?: number;
  pageSize?: number;
}

/** A span of quarters and its target, as the parser read it from the notice. */
export type PlanTaskTarget = ParsedTarget;

/** A task as the notice gave it, its units resolved to the organisation's codes. */
export interface PlanTask extends Pick<
  ParsedTask,
  'code' | 'item' | 'category' | 'name' | 'goal' | 'cityLevel'
> {
  /** `lead` (牵头) or `co` (配合). */
  units: Array<{ code: string; writtenAs: string; role: string }>;
  targets: PlanTaskTarget[];
}
