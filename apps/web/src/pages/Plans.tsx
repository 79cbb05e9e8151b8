import { useMemo, useState, type ChangeEvent, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import type { ActivationResult, ImportedPlan, PlanDetail } from '../api/office-types';
import { ApiError } from '../api/client';
import {
  Dialog,
  DialogActions,
  errorMessage,
  FieldError,
  LabeledSelect,
  Radio,
  useLoad,
  useSubmit,
} from '../components';
import {
  currentQuarter,
  formatDateTime,
  label,
  PLAN_STATUS_LABELS,
  QUARTER_LABELS,
  QUARTER_OPTIONS,
} from '../labels';
import { useSession, useUser } from '../session';
import { Flash, PagedTable } from './office/common';
import { PlanTasks } from './office/PlanTasks';

const PAGE_SIZE = 50;
const IMPORT_MODES = [
  ['file', '上传文件'],
  ['paste', '粘贴文本'],
] as const;
/** The API takes at most 1,500,000 characters; base64 makes bytes a third longer. */
const MAX_FILE_BYTES = 1_000_000;

interface Source {
  /** What is sent: the text itself, or base64 of a file's bytes (the server detects GB18030). */
  document: string;
  encoding: 'text' | 'base64';
  /** The text as this browser reads it, to show the line an error names. */
  text: string;
  name: string;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Reads the file as UTF-8, else GB18030, only for showing lines; the server decides. */
function decodeForDisplay(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    try {
      return new TextDecoder('gb18030').decode(bytes);
    } catch {
      return '';
    }
  }
}

/** The server names the line at fault as `line N: …`. */
function lineOf(message: string): number | null {
  const match = /^line (\d+): /.exec(message);
  return match ? Number(match[1]) : null;
}

interface ImportFailure {
  message: string;
  line: number | null;
  excerpt: Array<{ n: number; text: string }>;
}

function describeFailure(error: unknown, text: string): ImportFailure {
  const message = errorMessage(error);
  const line = error instanceof ApiError ? lineOf(message) : null;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const excerpt =
    line !== null && line >= 1 && line <= lines.length
      ? lines
          .slice(Math.max(0, line - 3), Math.min(lines.length, line + 2))
          .map((t, i) => ({ n: Math.max(1, line - 2) + i, text: t }))
      : [];
  return { message, line, excerpt };
}

export function PlansPage() {
  const { api } = useSession();
  const user = useUser();
  const isOffice = user.role === 'office';
  const [page, setPage] = useState(1);
  const plans = useLoad(() => api.planList(page, PAGE_SIZE), [api, page]);
  const [flash, setFlash] = useState<string | null>(null);
  const [activating, setActivating] = useState<PlanDetail | null>(null);
  /** The plan whose tasks are shown below the list. */
  const [viewing, setViewing] = useState<PlanDetail | null>(null);
  const [activation, setActivation] = useState<{
    plan: PlanDetail;
    result: ActivationResult;
  } | null>(null);

  return (
    <section data-testid="plans-page">
      <div className="page-head">
        <h1>计划管理</h1>
        <button type="button" className="btn btn-small" onClick={plans.reload}>
          刷新
        </button>
      </div>
      <Flash message={flash} onClose={() => setFlash(null)} />
      {isOffice ? (
        <ImportPanel
          onImported={(plan) => {
            setFlash(
              plan.created
                ? `已导入计划 ${plan.id}（${plan.docNumber}）`
                : `该通知此前已导入为 ${plan.id}，未重复保存`,
            );
            plans.reload();
          }}
          onActivate={(plan) => setActivating(plan)}
          statusOf={(id) => plans.data?.items.find((p) => p.id === id)?.status}
        />
      ) : (
        <p className="muted" data-testid="plans-readonly">
          仅区督查室可以导入和启动计划；这里可以查看已有的计划。
        </p>
      )}
      <h2 className="section-title">已有计划</h2>
      {activation && (
        <div className="panel result-panel" role="status" data-testid="activation-result">
          <strong>
            {activation.plan.title}：已启动{' '}
            <span data-testid="started">{activation.result.started}</span> 个任务季度
          </strong>
          <div className="muted">
            从{QUARTER_LABELS[activation.result.fromQuarter]}起有目标的任务季度共{' '}
            {activation.result.taskQuarters} 个，其中 {activation.result.alreadyStarted}{' '}
            个此前已启动（启动可重复执行，不会重复创建）。
          </div>
          <Link to="/dashboard">到督办总览查看</Link>
        </div>
      )}
      <PagedTable
        loaded={plans}
        empty="还没有计划：请先导入计划通知"
        onPage={setPage}
        testId="plan-list"
        columns={['计划', '年度', '状态', '类别', '任务', '市民生实事', '导入 / 启动时间', '操作']}
        row={(p) => (
          <tr key={p.id} data-testid="plan-row" data-plan-id={p.id}>
            <td>
              <div>
                <strong>{p.title}</strong>
              </div>
              <div className="muted small">
                {p.id} · {p.docNumber}
              </div>
            </td>
            <td>
              {p.year}
              {p.sourceYear !== p.year && <div className="muted small">文档 {p.sourceYear} 年</div>}
            </td>
            <td>
              <span
                className={`tag plan-${p.status}`}
                data-testid="plan-status"
                data-status={p.status}
              >
                {label(PLAN_STATUS_LABELS, p.status)}
              </span>
            </td>
            <td>{p.categories}</td>
            <td>{p.tasks}</td>
            <td>{p.cityLevelTasks}</td>
            <td className="small">
              <div>导入 {formatDateTime(p.importedAt)}</div>
              <div>启动 {formatDateTime(p.activatedAt)}</div>
            </td>
            <td className="row-actions">
              <button
                type="button"
                className="btn btn-small btn-ghost"
                aria-pressed={viewing?.id === p.id}
                onClick={() => setViewing(viewing?.id === p.id ? null : p)}
              >
                任务
              </button>
              {isOffice && (
                <button type="button" className="btn btn-small" onClick={() => setActivating(p)}>
                  {p.status === 'active' ? '补充启动…' : '启动…'}
                </button>
              )}
            </td>
          </tr>
        )}
      />
      {viewing && (
        <section className="panel plan-tasks-view" data-testid="plan-tasks-panel">
          <div className="page-head">
            <h2>任务：{viewing.title}</h2>
            <button type="button" className="btn btn-small" onClick={() => setViewing(null)}>
              收起
            </button>
          </div>
          <PlanTasks planId={viewing.id} />
        </section>
      )}
      {activating && (
        <ActivateDialog
          plan={activating}
          onClose={() => setActivating(null)}
          onDone={(result) => {
            setActivation({ plan: activating, result });
            setActivating(null);
            setFlash(null);
            plans.reload();
          }}
        />
      )}
    </section>
  );
}

function ImportPanel({
  onImported,
  onActivate,
  statusOf,
}: {
  onImported: (plan: ImportedPlan) => void;
  onActivate: (plan: ImportedPlan) => void;
  /** The plan's status as last listed by the server (it changes when the plan is started). */
  statusOf: (id: string) => string | undefined;
}) {
  const { api } = useSession();
  const [mode, setMode] = useState<'file' | 'paste'>('file');
  const [file, setFile] = useState<Source | null>(null);
  const [pasted, setPasted] = useState('');
  const [year, setYear] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ImportFailure | null>(null);
  const [imported, setImported] = useState<ImportedPlan | null>(null);

  async function chooseFile(e: ChangeEvent<HTMLInputElement>) {
    setProblem(null);
    setFailure(null);
    const chosen = e.target.files?.[0];
    if (!chosen) {
      setFile(null);
      return;
    }
    if (chosen.size > MAX_FILE_BYTES) {
      setFile(null);
      setProblem(`文件过大（${Math.round(chosen.size / 1024)} KB），计划通知不超过 1 MB`);
      return;
    }
    const bytes = new Uint8Array(await chosen.arrayBuffer());
    setFile({
      document: toBase64(bytes),
      encoding: 'base64',
      text: decodeForDisplay(bytes),
      name: chosen.name,
    });
  }

  const source: Source | null = useMemo(
    () =>
      mode === 'file'
        ? file
        : pasted.trim()
          ? { document: pasted, encoding: 'text', text: pasted, name: '粘贴的文本' }
          : null,
    [mode, file, pasted],
  );

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    setImported(null);
    if (!source) {
      setProblem(mode === 'file' ? '请选择计划通知文件' : '请粘贴计划通知的文本');
      return;
    }
    const y = year.trim() ? Number(year) : undefined;
    if (y !== undefined && (!Number.isInteger(y) || y < 2000 || y > 2100)) {
      setProblem('年度须为 2000 至 2100 之间的整数');
      return;
    }
    if (source.document.length > 1_500_000) {
      setProblem('通知文本过长（超过 150 万字符）');
      return;
    }
    setProblem(null);
    setBusy(true);
    try {
      const plan = await api.importPlan({
        document: source.document,
        encoding: source.encoding,
        ...(y !== undefined ? { year: y } : {}),
      });
      setImported(plan);
      onImported(plan);
    } catch (error) {
      setFailure(describeFailure(error, source.text));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" data-testid="import-panel">
      <h2>导入计划通知</h2>
      <p className="muted small">
        上传从办公系统导出的通知文本（UTF-8 或 GB18030 编码的 .txt），或直接粘贴全文。
        服务器解析后保存计划；解析出错时显示出错的行号和原因，不会保存半个计划。
      </p>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="radio-row" role="radiogroup" aria-label="导入方式">
          {IMPORT_MODES.map(([m, text]) => (
            <Radio key={m} name="import-mode" checked={mode === m} onChange={() => setMode(m)}>
              {text}
            </Radio>
          ))}
        </div>
        {mode === 'file' ? (
          <label className="field">
            <span>通知文件</span>
            <input type="file" accept=".txt,text/plain" onChange={(e) => void chooseFile(e)} />
            {file && (
              <span className="muted small" data-testid="file-info">
                {file.name} · {file.text.split(/\r?\n/).length} 行
              </span>
            )}
          </label>
        ) : (
          <label className="field">
            <span>通知文本</span>
            <textarea
              rows={10}
              value={pasted}
              onChange={(e) => setPasted(e.target.value)}
              placeholder="粘贴通知全文（含文号、标题和表格）"
              className="mono"
            />
          </label>
        )}
        <label className="field field-narrow">
          <span>计划年度（可选）</span>
          <input
            type="number"
            inputMode="numeric"
            min={2000}
            max={2100}
            value={year}
            onChange={(e) => setYear(e.target.value)}
            placeholder="默认取通知中的年度"
          />
          <span className="muted small">与通知年度不同时，各日期顺延到该年度</span>
        </label>
        <FieldError message={problem} />
        <div>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? '正在导入…' : '导入'}
          </button>
        </div>
      </form>
      {failure && (
        <div className="error-box import-error" role="alert" data-testid="import-error">
          <div>
            <strong>导入失败</strong>
            {failure.line !== null && (
              <span data-testid="error-line">（第 {failure.line} 行）</span>
            )}
            <div>服务器说明：{failure.message}</div>
            {failure.excerpt.length > 0 && (
              <pre className="excerpt">
                {failure.excerpt.map((l) => (
                  <div key={l.n} className={l.n === failure.line ? 'excerpt-hit' : undefined}>
                    <span className="excerpt-n">{l.n}</span>
                    {l.text.replace(/\t/g, '→ ')}
                  </div>
                ))}
              </pre>
            )}
          </div>
        </div>
      )}
      {imported && (
        <div className="result-panel" role="status" data-testid="import-result">
          <strong>
            {imported.created ? '导入成功' : '该通知此前已导入（同一文档、同一年度），未重复保存'}
          </strong>
          <dl className="facts">
            <div>
              <dt>计划编号</dt>
              <dd data-testid="imported-id">{imported.id}</dd>
            </div>
            <div>
              <dt>文号</dt>
              <dd>{imported.docNumber}</dd>
            </div>
            <div>
              <dt>标题</dt>
              <dd>{imported.title}</dd>
            </div>
            <div>
              <dt>年度</dt>
              <dd>
                {imported.year}
                {imported.sourceYear !== imported.year && `（通知为 ${imported.sourceYear} 年）`}
              </dd>
            </div>
            <div>
              <dt>成文日期</dt>
              <dd>{imported.issuedOn}</dd>
            </div>
            <div>
              <dt>发文单位</dt>
              <dd>{imported.issuers.join('、') || '—'}</dd>
            </div>
            <div>
              <dt>报送</dt>
              <dd>{imported.reportTo}</dd>
            </div>
            <div>
              <dt>内容</dt>
              <dd data-testid="imported-counts">
                {imported.categories} 个类别，{imported.tasks} 项任务（市民生实事{' '}
                {imported.cityLevelTasks} 项）
              </dd>
            </div>
          </dl>
          <details className="plan-tasks-view" open>
            <summary>解析出的任务</summary>
            <PlanTasks planId={imported.id} />
          </details>
          {(statusOf(imported.id) ?? imported.status) !== 'active' && (
            <button type="button" className="btn" onClick={() => onActivate(imported)}>
              启动此计划…
            </button>
          )}
        </div>
      )}
    </section>
  );
}

function ActivateDialog({
  plan,
  onClose,
  onDone,
}: {
  plan: PlanDetail;
  onClose: () => void;
  onDone: (result: ActivationResult) => void;
}) {
  const { api } = useSession();
  const now = currentQuarter();
  const [fromQuarter, setFromQuarter] = useState(plan.year === now.year ? now.quarter : 1);
  const submitting = useSubmit();

  function submit(e: FormEvent) {
    e.preventDefault();
    void submitting.run(() => api.activatePlan(plan.id, fromQuarter), onDone);
  }

  return (
    <Dialog title="启动计划" onClose={onClose} testId="activate-dialog">
      <form className="form" onSubmit={submit}>
        <p>
          <strong>{plan.title}</strong>
          <br />
          <span className="muted small">
            {plan.id} · {plan.tasks} 项任务
          </span>
        </p>
        <LabeledSelect
          className="field"
          label="从哪个季度开始"
          value={fromQuarter}
          onChange={(v) => setFromQuarter(Number(v))}
          options={QUARTER_OPTIONS}
        />
        <p className="muted small">
          从所选季度起，为每个有目标的任务季度启动督办流程；已经启动的不会重复启动。
        </p>
        {plan.year < now.year && (
          <p className="field-error">
            该计划年度（{plan.year}）已过：启动后各任务季度立即逾期，并会发出逾期通知和催办。
          </p>
        )}
        <DialogActions
          submitting={submitting}
          onCancel={onClose}
          label="确认启动"
          busyLabel="正在启动…"
        />
      </form>
    </Dialog>
  );
}
