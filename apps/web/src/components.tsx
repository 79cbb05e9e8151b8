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
