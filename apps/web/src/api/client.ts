// A small typed client for the Duban HTTP API. It uses only `fetch` (global in browsers and Node),
// so it stays free of DOM types and can be reused from Node tests.
import type {
  AuditHistory,
  Decision,
  InboxItem,
  LoginResponse,
  Notice,
  Page,
  Plan,
  PlanStats,
  PlanStatsFilter,
  ReplayReport,
  SubmitReport,
  TaskQuarterDetail,
  TaskQuarterFilter,
  TaskQuarterSummary,
  Unit,
  UpdateResult,
  User,
} from './types';
import type {
  ActivationResult,
  Delivery,
  DeliveryFilter,
  ImportedPlan,
  ImportPlanRequest,
  PlanDetail,
  PlanTask,
  UnitContact,
  UpdateUnitContact,
  UpdateUserContact,
  UserContact,
  UserContactFilter,
  UserContactListItem,
} from './office-types';

/** A refusal or failure, carrying the server's own message (already in Chinese where it can be). */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    message: string,
    /** The workflow's rejection code (PHASE_NOT_ALLOWED, …) when it refused an update. */
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Download {
  bytes: ArrayBuffer;
  filename: string;
  contentType: string;
}

export interface ApiClientOptions {
  baseUrl?: string;
  getToken: () => string | null;
  /** Called on 401 so the app can send the user back to sign-in. */
  onUnauthorized?: () => void;
}

/** Ids such as `tq:2026-jianghai:36.1:Q4` carry `:` and `.`; they always travel encoded. */
export const enc = encodeURIComponent;

function query(params: Record<string, string | number | boolean | undefined>): string {
  const pairs = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${enc(k)}=${enc(String(v))}`);
  return pairs.length ? `?${pairs.join('&')}` : '';
}

function messageOf(body: unknown, fallback: string): string {
  if (body && typeof body === 'object' && 'message' in body) {
    const message = body.message;
    if (Array.isArray(message)) return message.map(String).join('；');
    if (typeof message === 'string' && message) return message;
  }
  return fallback;
}

function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}

export class ApiClient {
  private readonly baseUrl: string;

  constructor(private readonly options: ApiClientOptions) {
    this.baseUrl = options.baseUrl ?? '';
  }

  private async raw(
    method: string,
    path: string,
    body?: unknown,
    idempotencyKey?: string,
  ): Promise<Response> {
    const headers: Record<string, string> = {};
    const token = this.options.getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/api${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'Network Error', '无法连接服务器，请检查网络后重试');
    }
    if (!response.ok) {
      const text = await response.text();
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
      if (response.status === 401 && path !== '/auth/login') this.options.onUnauthorized?.();
      // Express's own 404 for a route the server does not have (an older API): say so in Chinese.
      if (response.status === 404 && /^Cannot (GET|POST) /.test(messageOf(parsed, ''))) {
        throw new ApiError(404, 'Not Found', '服务器暂不提供此功能（接口不存在），请联系管理员');
      }
      const fallback =
        response.status >= 500
          ? `服务器错误（${response.status}）`
          : `请求失败（${response.status}）`;
      const { error, code } = (parsed ?? {}) as { error?: unknown; code?: unknown };
      throw new ApiError(
        response.status,
        typeof error === 'string' ? error : response.statusText,
        messageOf(parsed, fallback),
        typeof code === 'string' ? code : null,
      );
    }
    return response;
  }

  private async json<T>(
    method: string,
    path: string,
    body?: unknown,
    idempotencyKey?: string,
  ): Promise<T> {
    const response = await this.raw(method, path, body, idempotencyKey);
    return (await response.json()) as T;
  }

  login(username: string, password: string): Promise<LoginResponse> {
    return this.json('POST', '/auth/login', { username, password });
  }

  me(): Promise<User> {
    return this.json('GET', '/auth/me');
  }

  async logout(): Promise<void> {
    await this.raw('POST', '/auth/logout');
  }

  units(): Promise<{ items: Unit[]; total: number }> {
    return this.json('GET', '/units');
  }

  plans(): Promise<Page<Plan>> {
    return this.json('GET', '/plans');
  }

  inbox(page = 1, pageSize = 100): Promise<Page<InboxItem>> {
    return this.json('GET', `/inbox${query({ page, pageSize })}`);
  }

  notices(
    params: { kind?: string; taskQuarterId?: string; page?: number; pageSize?: number } = {},
  ): Promise<Page<Notice> & { unreadCount?: number }> {
    return this.json('GET', `/notices${query({ pageSize: 200, ...params })}`);
  }

  markNoticeRead(key: string): Promise<{ key: string; read: boolean }> {
    return this.json('POST', `/notices/${enc(key)}/read`);
  }

  taskQuarters(planId: string, filter: TaskQuarterFilter = {}): Promise<Page<TaskQuarterSummary>> {
    return this.json(
      'GET',
      `/plans/${enc(planId)}/task-quarters${query({ pageSize: 500, ...filter })}`,
    );
  }

  /** The dashboard's figures, counted by the server (GET /plans/:planId/stats). */
  planStats(planId: string, filter: PlanStatsFilter = {}): Promise<PlanStats> {
    return this.json('GET', `/plans/${enc(planId)}/stats${query({ ...filter })}`);
  }

  taskQuarter(id: string): Promise<TaskQuarterDetail> {
    return this.json('GET', `/task-quarters/${enc(id)}`);
  }

  submit(id: string, report: SubmitReport, key = newIdempotencyKey()): Promise<UpdateResult> {
    return this.json('POST', `/task-quarters/${enc(id)}/submissions`, report, key);
  }

  decideAsHead(
    id: string,
    unitCode: string,
    decision: Decision,
    comment: string,
    key = newIdempotencyKey(),
  ): Promise<UpdateResult> {
    return this.json(
      'POST',
      `/task-quarters/${enc(id)}/units/${enc(unitCode)}/decision`,
      { decision, comment },
      key,
    );
  }

  reviewAsOffice(
    id: string,
    review: { decision: Decision; comment: string; units?: string[] },
    key = newIdempotencyKey(),
  ): Promise<UpdateResult> {
    return this.json('POST', `/task-quarters/${enc(id)}/review`, review, key);
  }

  moveDeadline(
    id: string,
    deadline: string,
    reason: string,
    key = newIdempotencyKey(),
  ): Promise<UpdateResult> {
    return this.json('POST', `/task-quarters/${enc(id)}/deadline`, { deadline, reason }, key);
  }

  auditHistory(id: string): Promise<AuditHistory> {
    return this.json('GET', `/audit/task-quarters/${enc(id)}/history`);
  }

  replay(id: string): Promise<ReplayReport> {
    return this.json('POST', `/audit/task-quarters/${enc(id)}/replay`);
  }

  /** The quarterly table as a file; the caller saves it (the browser with a temporary link). */
  async quarterlyTable(planId: string, quarter: number, format: 'xlsx' | 'csv'): Promise<Download> {
    const response = await this.raw('GET', `/reports/${enc(planId)}/quarters/${quarter}.${format}`);
    const disposition = response.headers.get('content-disposition') ?? '';
    const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
    const plain = /filename="?([^";]+)"?/i.exec(disposition);
    const filename = star
      ? decodeURIComponent(star[1])
      : plain
        ? plain[1]
        : `${planId}-Q${quarter}.${format}`;
    return {
      bytes: await response.arrayBuffer(),
      filename,
      contentType: response.headers.get('content-type') ?? 'application/octet-stream',
    };
  }

  // --- The office's administration: plans, notice deliveries, contacts (office-types.ts) ---

  planList(page = 1, pageSize = 100): Promise<Page<PlanDetail>> {
    return this.json('GET', `/plans${query({ page, pageSize })}`);
  }

  plan(planId: string): Promise<PlanDetail> {
    return this.json('GET', `/plans/${enc(planId)}`);
  }

  importPlan(request: ImportPlanRequest): Promise<ImportedPlan> {
    return this.json('POST', '/plans/import', request);
  }

  activatePlan(planId: string, fromQuarter: number): Promise<ActivationResult> {
    return this.json('POST', `/plans/${enc(planId)}/activate`, { fromQuarter });
  }

  deliveries(filter: DeliveryFilter = {}): Promise<Page<Delivery>> {
    return this.json('GET', `/notices/deliveries${query({ ...filter })}`);
  }

  resendDelivery(id: string): Promise<Delivery> {
    return this.json('POST', `/notices/deliveries/${enc(id)}/resend`);
  }

  unitContacts(): Promise<UnitContact[]> {
    return this.json('GET', '/contacts/units');
  }

  unitContact(code: string): Promise<UnitContact> {
    return this.json('GET', `/contacts/units/${enc(code)}`);
  }

  updateUnitContact(code: string, update: UpdateUnitContact): Promise<UnitContact> {
    return this.json('PUT', `/contacts/units/${enc(code)}`, update);
  }

  userContacts(filter: UserContactFilter = {}): Promise<Page<UserContactListItem>> {
    return this.json('GET', `/contacts/users${query({ ...filter })}`);
  }

  userContact(id: string): Promise<UserContact> {
    return this.json('GET', `/contacts/users/${enc(id)}`);
  }

  updateUserContact(id: string, update: UpdateUserContact): Promise<UserContact> {
    return this.json('PUT', `/contacts/users/${enc(id)}`, update);
  }

  planTasks(planId: string, page = 1, pageSize = 500): Promise<Page<PlanTask>> {
    return this.json('GET', `/plans/${enc(planId)}/tasks${query({ page, pageSize })}`);
  }
}
