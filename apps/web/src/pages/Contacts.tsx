import { useRef, useState, type FormEvent } from 'react';
import type {
  UnitContact,
  UpdateUnitContact,
  UpdateUserContact,
  UserContactListItem,
} from '../api/office-types';
import {
  Dialog,
  DialogActions,
  Empty,
  ErrorBox,
  FieldError,
  LabeledSelect,
  LoadState,
  useLoad,
  useSubmit,
} from '../components';
import { label, ROLE_LABELS } from '../labels';
import { useSession } from '../session';
import { emailProblem, Flash, orNull, PagedTable, Table, webhookProblem } from './office/common';

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
  /** A changed filter shows its first page. */
  const refilter = (set: (value: string) => void) => (value: string) => {
    set(value);
    setUserPage(1);
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
            <Table
              testId="unit-contacts"
              columns={['单位', '邮箱', 'Webhook 地址', '操作']}
              items={data}
              row={(u) => (
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
              )}
            />
          )
        }
      </LoadState>

      <h2 className="section-title" ref={usersHeading}>
        用户
      </h2>
      <div className="filters">
        <LabeledSelect
          label="单位"
          ariaLabel="按单位筛选用户"
          value={unitFilter}
          onChange={refilter(setUnitFilter)}
          all="全部单位"
          options={(units.data ?? []).map((u) => [u.code, u.name] as const)}
        />
        <LabeledSelect
          label="角色"
          ariaLabel="按角色筛选用户"
          value={roleFilter}
          onChange={refilter(setRoleFilter)}
          all="全部角色"
          options={Object.entries(ROLE_LABELS)}
        />
      </div>
      <PagedTable
        loaded={users}
        empty="没有符合条件的用户"
        onPage={setUserPage}
        testId="user-contacts"
        columns={['用户', '单位', '邮箱', 'Webhook 地址', '接收渠道', '操作']}
        row={(u) => (
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
            <td className="break">{u.webhookUrl ?? <span className="muted">同单位</span>}</td>
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
        )}
      />

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

type Address = 'email' | 'webhookUrl';
type Channel = 'emailEnabled' | 'webhookEnabled';

/** The two addresses, checked as the server would; a user's left empty falls back to the unit's. */
const ADDRESSES: ReadonlyArray<{
  key: Address;
  label: string;
  type: string;
  maxLength: number;
  problem: (value: string) => string | undefined;
  placeholder: string;
  userPlaceholder: string;
}> = [
  {
    key: 'email',
    label: '邮箱',
    type: 'email',
    maxLength: 256,
    problem: emailProblem,
    placeholder: '例如 ducha@jianghai.example',
    userPlaceholder: '留空则使用所在单位的邮箱',
  },
  {
    key: 'webhookUrl',
    label: 'Webhook 地址',
    type: 'url',
    maxLength: 512,
    problem: webhookProblem,
    placeholder: 'https://…',
    userPlaceholder: '留空则使用所在单位的地址',
  },
];

/** A user's switches for the channels beyond 站内. */
const CHANNELS: ReadonlyArray<{ key: Channel; label: string }> = [
  { key: 'emailEnabled', label: '接收邮件' },
  { key: 'webhookEnabled', label: '接收 Webhook' },
];

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
  const [addresses, setAddresses] = useState<Record<Address, string>>({
    email: initial.email ?? '',
    webhookUrl: initial.webhookUrl ?? '',
  });
  const [enabled, setEnabled] = useState<Record<Channel, boolean>>({
    emailEnabled: initial.emailEnabled ?? true,
    webhookEnabled: initial.webhookEnabled ?? true,
  });
  const [errors, setErrors] = useState<Partial<Record<Address, string>>>({});
  const submitting = useSubmit();

  function submit(e: FormEvent) {
    e.preventDefault();
    const found: Partial<Record<Address, string>> = {};
    for (const a of ADDRESSES) found[a.key] = a.problem(addresses[a.key]);
    setErrors(found);
    if (ADDRESSES.some((a) => found[a.key])) return;
    const update: UpdateUnitContact & UpdateUserContact = {};
    for (const a of ADDRESSES) {
      const value = orNull(addresses[a.key]);
      if (value !== initial[a.key]) update[a.key] = value;
    }
    if (channels)
      for (const c of CHANNELS)
        if (enabled[c.key] !== initial[c.key]) update[c.key] = enabled[c.key];
    if (Object.keys(update).length === 0) {
      onClose();
      return;
    }
    void submitting.run(() => save(update), onSaved);
  }

  return (
    <Dialog title={title} onClose={onClose} testId={testId}>
      <form className="form" onSubmit={submit} noValidate>
        {ADDRESSES.map((a) => (
          <label key={a.key} className="field">
            <span>{a.label}</span>
            <input
              type={a.type}
              value={addresses[a.key]}
              onChange={(e) => setAddresses({ ...addresses, [a.key]: e.target.value })}
              placeholder={channels ? a.userPlaceholder : a.placeholder}
              maxLength={a.maxLength}
            />
            <FieldError message={errors[a.key]} />
          </label>
        ))}
        {channels && (
          <fieldset className="field">
            <legend>接收渠道</legend>
            {CHANNELS.map((c) => (
              <label key={c.key} className="check">
                <input
                  type="checkbox"
                  checked={enabled[c.key]}
                  onChange={(e) => setEnabled({ ...enabled, [c.key]: e.target.checked })}
                />
                {c.label}
              </label>
            ))}
          </fieldset>
        )}
        <DialogActions
          submitting={submitting}
          onCancel={onClose}
          label="保存"
          busyLabel="正在保存…"
        />
      </form>
    </Dialog>
  );
}
