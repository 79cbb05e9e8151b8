import { useRef, useState, type FormEvent } from 'react';
import type {
  UnitContact,
  UpdateUnitContact,
  UpdateUserContact,
  UserContactListItem,
} from '../api/office-types';
import { Dialog, Empty, ErrorBox, errorMessage, LoadState, useLoad } from '../components';
import { label, ROLE_LABELS } from '../labels';
import { useSession } from '../session';
import {
  emailProblem,
  Flash,
  orNull,
  Pager,
  ServerError,
  TableWrap,
  webhookProblem,
} from './office/common';

const USER_PAGE_SIZE = 50;

export function ContactsPage() {
  const { api } = useSession();
  const units = useLoad(() => api.unitContacts(), [api]);
  const [unitFilter, setUnitFilter] = useState('');
  const [roleFilter, setRoleFilter] = useState('');
  const [userPage, setUserPage] = useState(1);
  const users = useLoad(
    () =>
      api.userContacts({
        unitCode: unitFilter || undefined,
        role: roleFilter || undefined,
        page: userPage,
        pageSize: USER_PAGE_SIZE,
      }),
    [api, unitFilter, roleFilter, userPage],
  );
  const [flash, setFlash] = useState<string | null>(null);
  const [editingUnit, setEditingUnit] = useState<UnitContact | null>(null);
  const [editingUser, setEditingUser] = useState<UserContactListItem | null>(null);
  const usersHeading = useRef<HTMLHeadingElement>(null);
  /** Shows the users of one unit, below the units. */
  const showUsersOf = (code: string) => {
    setUnitFilter(code);
    setRoleFilter('');
    setUserPage(1);
    usersHeading.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };
  const unitName = (code: string | null) =>
    code ? (units.data?.find((u) => u.code === code)?.name ?? code) : '—';

  // Refused (or unreachable) before anything loaded: say it once, not for each list.
  if (units.error && units.data === undefined)
    return (
      <section data-testid="contacts-page">
        <div className="page-head">
          <h1>联系方式</h1>
        </div>
        <ErrorBox message={units.error} onRetry={units.reload} />
      </section>
    );

  return (
    <section data-testid="contacts-page">
      <div className="page-head">
        <h1>联系方式</h1>
      </div>
      <p className="muted small">
        通知除站内外，还按这里的邮箱和 Webhook
        发送。用户本人的联系方式优先；未填写时使用所在单位的。留空保存即清除。
      </p>
      <Flash message={flash} onClose={() => setFlash(null)} />

      <h2 className="section-title">单位</h2>
      <LoadState loaded={units}>
        {(data) =>
          data.length === 0 ? (
            <Empty>没有单位</Empty>
          ) : (
            <TableWrap>
              <table className="table" data-testid="unit-contacts">
                <thead>
                  <tr>
                    <th>单位</th>
                    <th>邮箱</th>
                    <th>Webhook 地址</th>
                    <th>操作</th>
                  </tr>
                </thead>
                <tbody>
                  {data.map((u) => (
                    <tr key={u.code} data-testid="unit-contact" data-code={u.code}>
                      <td>
                        {u.name}
                        <div className="muted small">{u.code}</div>
                      </td>
                      <td className="break" data-testid="unit-email">
                        {u.email ?? <span className="muted">未填写</span>}
                      </td>
                      <td className="break" data-testid="unit-webhook">
                        {u.webhookUrl ?? <span className="muted">未填写</span>}
                      </td>
                      <td>
                        <button
                          type="button"
                          className="btn btn-small"
                          onClick={() => setEditingUnit(u)}
                          aria-label={`编辑${u.name}的联系方式`}
                        >
                          编辑
                        </button>{' '}
                        <button
                          type="button"
                          className="btn btn-small btn-ghost"
                          onClick={() => showUsersOf(u.code)}
                        >
                          用户
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )
        }
      </LoadState>

      <h2 className="section-title" ref={usersHeading}>
        用户
      </h2>
      <div className="filters">
        <label>
          <span>单位</span>
          <select
            aria-label="按单位筛选用户"
            value={unitFilter}
            onChange={(e) => {
              setUnitFilter(e.target.value);
              setUserPage(1);
            }}
          >
            <option value="">全部单位</option>
            {(units.data ?? []).map((u) => (
              <option key={u.code} value={u.code}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>角色</span>
          <select
            aria-label="按角色筛选用户"
            value={roleFilter}
            onChange={(e) => {
              setRoleFilter(e.target.value);
              setUserPage(1);
            }}
          >
            <option value="">全部角色</option>
            {Object.entries(ROLE_LABELS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </label>
      </div>
      <LoadState loaded={users}>
        {(data) =>
          data.items.length === 0 ? (
            <Empty>没有符合条件的用户</Empty>
          ) : (
            <>
              <TableWrap>
                <table className="table" data-testid="user-contacts">
                  <thead>
                    <tr>
                      <th>用户</th>
                      <th>单位</th>
                      <th>邮箱</th>
                      <th>Webhook 地址</th>
                      <th>接收渠道</th>
                      <th>操作</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((u) => (
                      <tr key={u.id} data-testid="user-contact" data-username={u.username}>
                        <td>
                          {u.name}
                          <div className="muted small">
                            {u.username} · {label(ROLE_LABELS, u.role)}
                            {!u.active && ' · 已停用'}
                          </div>
                        </td>
                        <td>{unitName(u.unitCode)}</td>
                        <td className="break" data-testid="user-email">
                          {u.email ?? <span className="muted">同单位</span>}
                        </td>
                        <td className="break">
                          {u.webhookUrl ?? <span className="muted">同单位</span>}
                        </td>
                        <td className="small" data-testid="user-channels">
                          邮件{u.emailEnabled ? '开' : '关'} · Webhook
                          {u.webhookEnabled ? '开' : '关'}
                        </td>
                        <td>
                          <button
                            type="button"
                            className="btn btn-small"
                            onClick={() => setEditingUser(u)}
                            aria-label={`编辑${u.username}的联系方式`}
                          >
                            编辑
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
              <Pager
                total={data.total}
                page={data.page}
                pageSize={data.pageSize}
                onPage={setUserPage}
                busy={users.loading}
              />
            </>
          )
        }
      </LoadState>

      {editingUnit && (
        <ContactDialog
          title={`编辑联系方式：${editingUnit.name}`}
          testId="unit-contact-dialog"
          initial={editingUnit}
          onClose={() => setEditingUnit(null)}
          save={(update) => api.updateUnitContact(editingUnit.code, update)}
          onSaved={() => {
            setEditingUnit(null);
            setFlash(`已保存 ${editingUnit.name} 的联系方式`);
            units.reload();
          }}
        />
      )}
      {editingUser && (
        <ContactDialog
          title={`编辑联系方式：${editingUser.name}（${editingUser.username}）`}
          testId="user-contact-dialog"
          initial={editingUser}
          channels
          onClose={() => setEditingUser(null)}
          save={(update) => api.updateUserContact(editingUser.id, update)}
          onSaved={() => {
            setEditingUser(null);
            setFlash(`已保存 ${editingUser.username} 的联系方式`);
            users.reload();
          }}
        />
      )}
    </section>
  );
}

interface ContactFields {
  email: string | null;
  webhookUrl: string | null;
  emailEnabled?: boolean;
  webhookEnabled?: boolean;
}

/** Edits e-mail and webhook (and, for a user, the channel switches); sends only what changed. */
function ContactDialog({
  title,
  testId,
  initial,
  channels = false,
  onClose,
  save,
  onSaved,
}: {
  title: string;
  testId: string;
  initial: ContactFields;
  channels?: boolean;
  onClose: () => void;
  save: (update: UpdateUnitContact & UpdateUserContact) => Promise<unknown>;
  onSaved: () => void;
}) {
  const [email, setEmail] = useState(initial.email ?? '');
  const [webhookUrl, setWebhookUrl] = useState(initial.webhookUrl ?? '');
  const [emailEnabled, setEmailEnabled] = useState(initial.emailEnabled ?? true);
  const [webhookEnabled, setWebhookEnabled] = useState(initial.webhookEnabled ?? true);
  const [errors, setErrors] = useState<{ email?: string; webhookUrl?: string }>({});
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const found = { email: emailProblem(email), webhookUrl: webhookProblem(webhookUrl) };
    setErrors(found);
    if (found.email || found.webhookUrl) return;
    const update: UpdateUnitContact & UpdateUserContact = {};
    if (orNull(email) !== initial.email) update.email = orNull(email);
    if (orNull(webhookUrl) !== initial.webhookUrl) update.webhookUrl = orNull(webhookUrl);
    if (channels && emailEnabled !== initial.emailEnabled) update.emailEnabled = emailEnabled;
    if (channels && webhookEnabled !== initial.webhookEnabled)
      update.webhookEnabled = webhookEnabled;
    if (Object.keys(update).length === 0) {
      onClose();
      return;
    }
    setBusy(true);
    setServerError(null);
    try {
      await save(update);
      onSaved();
    } catch (error) {
      setServerError(errorMessage(error));
      setBusy(false);
    }
  }

  return (
    <Dialog title={title} onClose={onClose} testId={testId}>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <label className="field">
          <span>邮箱</span>
          <input
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            placeholder={channels ? '留空则使用所在单位的邮箱' : '例如 ducha@jianghai.example'}
            maxLength={256}
          />
          {errors.email && <span className="field-error">{errors.email}</span>}
        </label>
        <label className="field">
          <span>Webhook 地址</span>
          <input
            type="url"
            value={webhookUrl}
            onChange={(e) => setWebhookUrl(e.target.value)}
            placeholder={channels ? '留空则使用所在单位的地址' : 'https://…'}
            maxLength={512}
          />
          {errors.webhookUrl && <span className="field-error">{errors.webhookUrl}</span>}
        </label>
        {channels && (
          <fieldset className="field">
            <legend>接收渠道</legend>
            <label className="check">
              <input
                type="checkbox"
                checked={emailEnabled}
                onChange={(e) => setEmailEnabled(e.target.checked)}
              />
              接收邮件
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={webhookEnabled}
                onChange={(e) => setWebhookEnabled(e.target.checked)}
              />
              接收 Webhook
            </label>
          </fieldset>
        )}
        <ServerError message={serverError} />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            取消
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? '正在保存…' : '保存'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
