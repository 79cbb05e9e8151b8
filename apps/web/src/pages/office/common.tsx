// Pieces shared by the office's administration pages (plans, deliveries, contacts).
import type { ReactNode } from 'react';

export const DELIVERY_STATE_LABELS: Record<string, string> = {
  pending: '待发送',
  sending: '发送中',
  sent: '已发送',
  failed: '发送失败',
  read: '已读',
};

export const CHANNEL_LABELS: Record<string, string> = {
  in_app: '站内',
  email: '邮件',
  webhook: 'Webhook',
};

export const PLAN_STATUS_LABELS: Record<string, string> = {
  imported: '已导入，未启动',
  active: '已启动',
};

/** A confirmation the server gave, shown until the next action or closed. */
export function Flash({ message, onClose }: { message: string | null; onClose: () => void }) {
  if (!message) return null;
  return (
    <div className="flash" role="status" data-testid="flash">
      <span>{message}</span>
      <button type="button" className="icon-btn" aria-label="关闭提示" onClick={onClose}>
        ×
      </button>
    </div>
  );
}

/** 上一页 / 下一页 over a `{total, page, pageSize}` list. */
export function Pager({
  total,
  page,
  pageSize,
  onPage,
  busy,
}: {
  total: number;
  page: number;
  pageSize: number;
  onPage: (page: number) => void;
  busy?: boolean;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="pager" aria-label="分页" data-testid="pager">
      <span className="muted">
        共 {total} 条 · 第 {Math.min(page, pages)} / {pages} 页
      </span>
      <button
        type="button"
        className="btn btn-small"
        disabled={busy || page <= 1}
        onClick={() => onPage(page - 1)}
      >
        上一页
      </button>
      <button
        type="button"
        className="btn btn-small"
        disabled={busy || page >= pages}
        onClick={() => onPage(page + 1)}
      >
        下一页
      </button>
    </nav>
  );
}

/** Tables scroll sideways on a phone instead of squeezing their columns. */
export function TableWrap({ children }: { children: ReactNode }) {
  return <div className="table-wrap">{children}</div>;
}

/** The error the server sent back for an action, inside the dialog that asked for it. */
export function ServerError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <div className="error-box" role="alert" data-testid="server-error">
      {message}
    </div>
  );
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks an e-mail field as the server would; '' means "clear it". */
export function emailProblem(value: string): string | undefined {
  const v = value.trim();
  if (!v) return undefined;
  if (v.length > 256) return '邮箱不能超过 256 个字符';
  return EMAIL.test(v) ? undefined : '邮箱格式不正确，例如 ducha@jianghai.example';
}

/** Checks a webhook URL as the server would; '' means "clear it". */
export function webhookProblem(value: string): string | undefined {
  const v = value.trim();
  if (!v) return undefined;
  if (v.length > 512) return 'Webhook 地址不能超过 512 个字符';
  try {
    const url = new URL(v);
    return url.protocol === 'http:' || url.protocol === 'https:'
      ? undefined
      : 'Webhook 地址须以 http:// 或 https:// 开头';
  } catch {
    return 'Webhook 地址须以 http:// 或 https:// 开头';
  }
}

/** '' clears a contact field (null); anything else is sent trimmed. */
export function orNull(value: string): string | null {
  const v = value.trim();
  return v ? v : null;
}
