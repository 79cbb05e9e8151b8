import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError } from './api/client';
import type { Lamp } from './api/types';
import { LAMP_LABELS, REJECTION_LABELS } from './labels';

export interface Loaded<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/** The server's message, led by a Chinese reason when the workflow refused with a known code. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const reason = error.code ? REJECTION_LABELS[error.code] : undefined;
    return reason && reason !== error.message
      ? `${reason}。服务器说明：${error.message}`
      : error.message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

export type Submit = ReturnType<typeof useSubmit>;

/**
 * Runs a dialog's action: busy meanwhile, then `done` with the server's answer; a refusal is kept
 * to show in the dialog, which stays open for another try.
 */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  async function run<T>(action: () => Promise<T>, done: (result: T) => void): Promise<void> {
    setBusy(true);
    setServerError(null);
    try {
      done(await action());
    } catch (error) {
      setServerError(errorMessage(error));
      setBusy(false);
    }
  }
  return { busy, serverError, run };
}

/** Loads on mount and whenever `deps` change; a stale answer never overwrites a newer one. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const generation = useRef(0);
  useEffect(() => {
    const mine = ++generation.current;
    setLoading(true);
    setError(null);
    load().then(
      (value) => {
        if (mine !== generation.current) return;
        setData(value);
        setLoading(false);
      },
      (e: unknown) => {
        if (mine !== generation.current) return;
        setError(errorMessage(e));
        setLoading(false);
      },
    );
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

export function LampBadge({ lamp }: { lamp: Lamp }) {
  return (
    <span className={`lamp lamp-${lamp}`} data-lamp={lamp}>
      <span className="lamp-dot" aria-hidden="true" />
      {LAMP_LABELS[lamp] ?? lamp}
    </span>
  );
}

export function Spinner({ text = '加载中…' }: { text?: string }) {
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {text}
    </div>
  );
}

export function ErrorBox({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div className="error-box" role="alert">
      <span>{message}</span>
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          重试
        </button>
      )}
    </div>
  );
}

/** Renders loading and error states around loaded data. */
export function LoadState<T>({
  loaded,
  children,
}: {
  loaded: Loaded<T>;
  children: (data: T) => ReactNode;
}) {
  if (loaded.error && loaded.data === undefined)
    return <ErrorBox message={loaded.error} onRetry={loaded.reload} />;
  if (loaded.data === undefined) return <Spinner />;
  return (
    <>
      {loaded.error && <ErrorBox message={loaded.error} onRetry={loaded.reload} />}
      {children(loaded.data)}
    </>
  );
}

export function Dialog({
  title,
  onClose,
  children,
  testId,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
}) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-label={title}
        data-testid={testId}
      >
        <div className="dialog-head">
          <h2>{title}</h2>
          <button type="button" className="icon-btn" aria-label="关闭" onClick={onClose}>
            ×
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

export function FieldError({ message }: { message?: string | null }) {
  return message ? <span className="field-error">{message}</span> : null;
}

/** The server's refusal, in the words it gave, inside the dialog that asked for it. */
function ServerError({ message }: { message: string | null }) {
  return message ? (
    <div className="error-box" role="alert" data-testid="server-error">
      {message}
    </div>
  ) : null;
}

/** A dialog's foot: the server's refusal if any, then 取消 and the button that confirms. */
export function DialogActions({
  submitting,
  onCancel,
  label,
  busyLabel,
  danger = false,
  onConfirm,
}: {
  /** The dialog's `useSubmit()`. */
  submitting: Pick<Submit, 'busy' | 'serverError'>;
  onCancel: () => void;
  label: string;
  busyLabel: string;
  danger?: boolean;
  /** For a dialog without a form; otherwise the button submits the dialog's form. */
  onConfirm?: () => void;
}) {
  return (
    <>
      <ServerError message={submitting.serverError} />
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onCancel}>
          取消
        </button>
        <button
          type={onConfirm ? 'button' : 'submit'}
          className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`}
          disabled={submitting.busy}
          onClick={onConfirm}
        >
          {submitting.busy ? busyLabel : label}
        </button>
      </div>
    </>
  );
}

/** A labelled select; `all` adds a first option with the value '' (no filter). */
export function LabeledSelect({
  label,
  value,
  onChange,
  options,
  all,
  ariaLabel,
  name,
  className,
}: {
  label: string;
  value: string | number;
  onChange: (value: string) => void;
  /** `[value, text]` pairs, in order. */
  options: ReadonlyArray<readonly [string | number, string]>;
  all?: string;
  ariaLabel?: string;
  name?: string;
  className?: string;
}) {
  return (
    <label className={className}>
      <span>{label}</span>
      <select
        name={name}
        aria-label={ariaLabel}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      >
        {all !== undefined && <option value="">{all}</option>}
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A radio button of a `.radio-row`, its label marked while it is checked. */
export function Radio({
  name,
  value,
  checked,
  onChange,
  children,
}: {
  name: string;
  value?: string;
  checked: boolean;
  onChange: () => void;
  children: ReactNode;
}) {
  return (
    <label className={`radio ${checked ? 'checked' : ''}`}>
      <input type="radio" name={name} value={value} checked={checked} onChange={onChange} />
      {children}
    </label>
  );
}
