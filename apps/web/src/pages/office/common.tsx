// Pieces shared by the office's administration pages (plans, deliveries, contacts).
import type { ReactNode } from 'react';
import type { Page } from '../../api/types';
import { Empty, LoadState, type Loaded } from '../../components';

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
function Pager({
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

interface TableProps<T> {
  columns: string[];
  items: T[];
  /** One `<tr>`, with its key. */
  row: (item: T) => ReactNode;
  className?: string;
  testId?: string;
}

/** Rows under their column headings; the table scrolls sideways on a phone instead of squeezing. */
export function Table<T>({ columns, items, row, className = 'table', testId }: TableProps<T>) {
  return (
    <div className="table-wrap">
      <table className={className} data-testid={testId}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>{items.map((item) => row(item))}</tbody>
      </table>
    </div>
  );
}

/** One loaded page of a list: its table and pager, or `empty` when the page has no rows. */
export function PagedTable<T>({
  loaded,
  empty,
  onPage,
  ...table
}: {
  loaded: Loaded<Page<T>>;
  empty: ReactNode;
  onPage: (page: number) => void;
} & Omit<TableProps<T>, 'items'>) {
  return (
    <LoadState loaded={loaded}>
      {(data) =>
        data.items.length === 0 ? (
          <Empty>{empty}</Empty>
        ) : (
          <>
            <Table {...table} items={data.items} />
            <Pager
              total={data.total}
              page={data.page}
              pageSize={data.pageSize}
              onPage={onPage}
              busy={loaded.loading}
            />
          </>
        )
      }
    </LoadState>
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
