// The dialogs through which people act on a task-quarter. Each one generates its idempotency key
// once, so a double click or a retry after a lost answer acts only once.
import { useMemo, useState, type FormEvent } from 'react';
import type { ApiClient } from './api/client';
import type {
  Decision,
  Figures,
  ReportStatus,
  TaskQuarterDetail,
  TaskQuarterSummary,
  UpdateResult,
} from './api/types';
import { Dialog, DialogActions, FieldError, Radio, useSubmit } from './components';
import { formatDateTime, fromShanghaiInput, REPORT_STATUS_LABELS, toShanghaiInput } from './labels';

const LIMITS = {
  summaryChars: 4000,
  explanationChars: 4000,
  commentChars: 2000,
  reasonChars: 1000,
  figures: 50,
  figureKeyChars: 100,
  figureValueChars: 500,
};

function useIdempotencyKey(): string {
  return useMemo(() => crypto.randomUUID(), []);
}

interface ActionProps {
  api: ApiClient;
  tq: TaskQuarterDetail;
  onClose: () => void;
  /** Called with the server's answer; the page then reloads what the server confirmed. */
  onDone: (result: UpdateResult, message: string) => void;
}

interface FigureRow {
  key: string;
  value: string;
}

export type ReportErrors = Partial<
  Record<'status' | 'summary' | 'explanation' | 'figures', string>
>;

/** Checks a report as the server would, so people see every problem before sending. */
export function validateReport(
  status: ReportStatus | '',
  summary: string,
  explanation: string,
  figures: FigureRow[],
): ReportErrors {
  const errors: ReportErrors = {};
  if (!status) errors.status = '请选择完成情况';
  if (!summary.trim()) errors.summary = '请填写进展情况';
  else if (summary.length > LIMITS.summaryChars)
    errors.summary = `进展情况不能超过 ${LIMITS.summaryChars} 字`;
  if (status && status !== 'completed' && !explanation.trim())
    errors.explanation = '未完成或部分完成时须说明原因';
  else if (explanation.length > LIMITS.explanationChars)
    errors.explanation = `情况说明不能超过 ${LIMITS.explanationChars} 字`;
  const used = figures.filter((f) => f.key.trim() || f.value.trim());
  const keys = new Set<string>();
  for (const f of used) {
    const key = f.key.trim();
    if (!key) errors.figures = '每个数据项都需要名称';
    else if (key.length > LIMITS.figureKeyChars)
      errors.figures = `数据项名称不能超过 ${LIMITS.figureKeyChars} 字`;
    else if (keys.has(key)) errors.figures = `数据项“${key}”重复`;
    else if (!f.value.trim()) errors.figures = `请填写“${key}”的数值`;
    else if (f.value.length > LIMITS.figureValueChars)
      errors.figures = `“${key}”的内容不能超过 ${LIMITS.figureValueChars} 字`;
    keys.add(key);
  }
  if (used.length > LIMITS.figures) errors.figures = `数据项不能超过 ${LIMITS.figures} 个`;
  return errors;
}

function toFigures(rows: FigureRow[]): Figures | undefined {
  const used = rows.filter((f) => f.key.trim());
  if (used.length === 0) return undefined;
  const figures: Figures = {};
  for (const f of used) {
    const text = f.value.trim();
    // Numbers travel as numbers so tables can sum them; anything else stays text.
    figures[f.key.trim()] = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
  }
  return figures;
}

export function ReportDialog({ api, tq, onClose, onDone }: ActionProps) {
  const key = useIdempotencyKey();
  const submitting = useSubmit();
  const [status, setStatus] = useState<ReportStatus | ''>('');
  const [summary, setSummary] = useState('');
  const [explanation, setExplanation] = useState('');
  const [figures, setFigures] = useState<FigureRow[]>([{ key: '', value: '' }]);
  const [errors, setErrors] = useState<ReportErrors>({});

  function submit(e: FormEvent) {
    e.preventDefault();
    const found = validateReport(status, summary, explanation, figures);
    setErrors(found);
    if (Object.keys(found).length > 0 || !status) return;
    void submitting.run(
      () =>
        api.submit(
          tq.id,
          {
            status,
            summary: summary.trim(),
            ...(explanation.trim() ? { explanation: explanation.trim() } : {}),
            ...(toFigures(figures) ? { figures: toFigures(figures) } : {}),
          },
          key,
        ),
      (result) => onDone(result, '完成情况已报送，等待单位负责人审核'),
    );
  }

  return (
    <Dialog title="填报完成情况" onClose={onClose} testId="report-dialog">
      <form onSubmit={submit} noValidate className="form">
        <p className="muted">本季度目标：{tq.target ?? '（无）'}</p>
        <fieldset className="field">
          <legend>完成情况</legend>
          <div className="radio-row">
            {(Object.keys(REPORT_STATUS_LABELS) as ReportStatus[]).map((s) => (
              <Radio
                key={s}
                name="status"
                value={s}
                checked={status === s}
                onChange={() => setStatus(s)}
              >
                {REPORT_STATUS_LABELS[s]}
              </Radio>
            ))}
          </div>
          <FieldError message={errors.status} />
        </fieldset>
        <label className="field">
          <span>进展情况</span>
          <textarea
            name="summary"
            rows={4}
            value={summary}
            maxLength={LIMITS.summaryChars}
            onChange={(e) => setSummary(e.target.value)}
            placeholder="简要说明本季度工作进展"
          />
          <FieldError message={errors.summary} />
        </label>
        <label className="field">
          <span>
            情况说明
            {status && status !== 'completed' ? <em className="required">（必填）</em> : '（选填）'}
          </span>
          <textarea
            name="explanation"
            rows={3}
            value={explanation}
            maxLength={LIMITS.explanationChars}
            onChange={(e) => setExplanation(e.target.value)}
            placeholder="未完成或部分完成的原因及下一步措施"
          />
          <FieldError message={errors.explanation} />
        </label>
        <div className="field">
          <span>数据（选填）</span>
          {figures.map((row, i) => (
            <div className="figure-row" key={i}>
              <input
                aria-label={`数据项 ${i + 1} 名称`}
                placeholder="名称，如 完成投资（万元）"
                value={row.key}
                onChange={(e) =>
                  setFigures(figures.map((f, j) => (j === i ? { ...f, key: e.target.value } : f)))
                }
              />
              <input
                aria-label={`数据项 ${i + 1} 数值`}
                placeholder="数值"
                value={row.value}
                onChange={(e) =>
                  setFigures(figures.map((f, j) => (j === i ? { ...f, value: e.target.value } : f)))
                }
              />
              <button
                type="button"
                className="icon-btn"
                aria-label="删除此数据项"
                onClick={() =>
                  setFigures(
                    figures.length === 1
                      ? [{ key: '', value: '' }]
                      : figures.filter((_, j) => j !== i),
                  )
                }
              >
                ×
              </button>
            </div>
          ))}
          <button
            type="button"
            className="btn btn-small btn-ghost"
            onClick={() => setFigures([...figures, { key: '', value: '' }])}
          >
            ＋ 添加数据项
          </button>
          <FieldError message={errors.figures} />
        </div>
        <DialogActions
          submitting={submitting}
          onCancel={onClose}
          label="报送"
          busyLabel="正在报送…"
        />
      </form>
    </Dialog>
  );
}

/** Who decides: a unit head on their unit's latest report, or the office on the task-quarter. */
export type DecisionBy = { level: 'head'; unitCode: string } | { level: 'office' };

const DECISION_TEXTS = {
  head: {
    testId: 'decision-dialog',
    title: { approve: '审核通过', return: '退回重报' },
    confirm: { approve: '确认通过', return: '确认退回' },
    done: { approve: '已审核通过', return: '已退回，经办人将重新填报' },
  },
  office: {
    testId: 'review-dialog',
    title: { approve: '审核办结', return: '退回单位' },
    confirm: { approve: '确认办结', return: '确认退回' },
    done: { approve: '已办结', return: '已退回相关单位重新报送' },
  },
} as const;

/**
 * Approve or return: a unit head on the unit's latest report (shown above the comment), or the
 * office on the whole task-quarter (returning to the units it ticks). A return needs a comment.
 */
export function DecisionDialog({
  api,
  tq,
  by,
  decision,
  onClose,
  onDone,
}: ActionProps & { by: DecisionBy; decision: Decision }) {
  const key = useIdempotencyKey();
  const submitting = useSubmit();
  const [comment, setComment] = useState('');
  // The office returns to the units it ticks; a single unit is ticked already.
  const [units, setUnits] = useState<string[]>(tq.units.length === 1 ? [tq.units[0].code] : []);
  const [error, setError] = useState<string | null>(null);
  const approving = decision === 'approve';
  const texts = DECISION_TEXTS[by.level];
  const choosingUnits = by.level === 'office' && !approving;
  const unit = by.level === 'head' ? tq.units.find((u) => u.code === by.unitCode) : undefined;
  const latest = unit?.reports[unit.reports.length - 1];

  function submit(e: FormEvent) {
    e.preventDefault();
    if (choosingUnits && units.length === 0) return setError('请选择退回的单位');
    if (!approving && !comment.trim()) return setError('退回时须填写意见');
    if (comment.length > LIMITS.commentChars)
      return setError(`意见不能超过 ${LIMITS.commentChars} 字`);
    setError(null);
    const text = comment.trim();
    void submitting.run(
      () =>
        by.level === 'head'
          ? api.decideAsHead(tq.id, by.unitCode, decision, text, key)
          : api.reviewAsOffice(
              tq.id,
              approving ? { decision, comment: text } : { decision, comment: text, units },
              key,
            ),
      (result) => onDone(result, texts.done[decision]),
    );
  }

  return (
    <Dialog title={texts.title[decision]} onClose={onClose} testId={texts.testId}>
      <form onSubmit={submit} noValidate className="form">
        {latest && (
          <div className="quote">
            <div>
              第 {latest.version} 版 · {REPORT_STATUS_LABELS[latest.status]} ·{' '}
              {formatDateTime(latest.submittedAt)}
            </div>
            <div>{latest.summary}</div>
          </div>
        )}
        {choosingUnits && (
          <fieldset className="field">
            <legend>退回给</legend>
            {tq.units.map((u) => (
              <label key={u.code} className="check">
                <input
                  type="checkbox"
                  name="units"
                  value={u.code}
                  checked={units.includes(u.code)}
                  onChange={(e) =>
                    setUnits(
                      e.target.checked ? [...units, u.code] : units.filter((c) => c !== u.code),
                    )
                  }
                />
                {u.name}
              </label>
            ))}
          </fieldset>
        )}
        <label className="field">
          <span>审核意见{approving ? '（选填）' : <em className="required">（必填）</em>}</span>
          <textarea
            name="comment"
            rows={3}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
          <FieldError message={error} />
        </label>
        <DialogActions
          submitting={submitting}
          onCancel={onClose}
          label={texts.confirm[decision]}
          busyLabel="正在提交…"
          danger={!approving}
        />
      </form>
    </Dialog>
  );
}

export function DeadlineDialog({
  api,
  tq,
  onClose,
  onDone,
}: Omit<ActionProps, 'tq'> & {
  tq: Pick<TaskQuarterSummary, 'id' | 'deadline' | 'taskCode' | 'taskName'>;
}) {
  const key = useIdempotencyKey();
  const submitting = useSubmit();
  const [deadline, setDeadline] = useState(toShanghaiInput(tq.deadline));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(deadline)) return setError('请选择新的截止时间');
    if (!reason.trim()) return setError('请填写调整原因');
    if (reason.length > LIMITS.reasonChars)
      return setError(`原因不能超过 ${LIMITS.reasonChars} 字`);
    setError(null);
    void submitting.run(
      () => api.moveDeadline(tq.id, fromShanghaiInput(deadline), reason.trim(), key),
      (result) => onDone(result, '截止时间已调整'),
    );
  }

  return (
    <Dialog title="调整截止时间" onClose={onClose} testId="deadline-dialog">
      <form onSubmit={submit} noValidate className="form">
        <p className="muted">
          {tq.taskCode} {tq.taskName} · 当前截止：{formatDateTime(tq.deadline)}
        </p>
        <label className="field">
          <span>新的截止时间（北京时间）</span>
          <input
            type="datetime-local"
            name="deadline"
            value={deadline}
            onChange={(e) => setDeadline(e.target.value)}
          />
        </label>
        <label className="field">
          <span>
            调整原因<em className="required">（必填）</em>
          </span>
          <textarea
            name="reason"
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </label>
        <FieldError message={error} />
        <DialogActions
          submitting={submitting}
          onCancel={onClose}
          label="确认调整"
          busyLabel="正在提交…"
        />
      </form>
    </Dialog>
  );
}
