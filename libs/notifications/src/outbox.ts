import type { EntityManager } from 'typeorm';
import type { Notice } from '@duban/contracts';
import type { DeliveryPayload, NotificationChannel } from '@duban/persistence';
import type { NotificationSettings } from './settings';

/** A user who may receive notices, with the contact details and choices that apply to them. */
export interface Candidate {
  id: string;
  role: string;
  unit_code: string | null;
  email: string | null;
  email_enabled: boolean | null;
  webhook_enabled: boolean | null;
  webhook_url: string | null;
}

// A user's own e-mail and webhook win over their unit's.
const CANDIDATES_SQL = `
  SELECT u.id, u.role, u.unit_code,
         COALESCE(u.email, un.email) AS email,
         p.email_enabled, p.webhook_enabled,
         COALESCE(p.webhook_url, uc.webhook_url) AS webhook_url
  FROM app_user u
  LEFT JOIN unit un ON un.code = u.unit_code
  LEFT JOIN notification_preference p ON p.user_id = u.id
  LEFT JOIN unit_contact uc ON uc.unit_code = u.unit_code`;

/** Every active user a notice recipient (a role, and for staff and heads a unit) stands for. */
export function usersFor(
  recipients: Notice['recipients'],
  candidates: readonly Candidate[],
): Candidate[] {
  const chosen = new Map<string, Candidate>();
  for (const r of recipients) {
    for (const c of candidates) {
      const unitMatches =
        r.role === 'staff' || r.role === 'head' ? c.unit_code === r.unitCode : true;
      if (c.role === r.role && unitMatches) chosen.set(c.id, c);
    }
  }
  return [...chosen.values()];
}

function addressOf(c: Candidate, channel: NotificationChannel): string | null {
  if (channel === 'email') return c.email_enabled === false ? null : c.email;
  if (channel === 'webhook') return c.webhook_enabled === false ? null : c.webhook_url;
  return null;
}

/** Where a user's deliveries on `channel` go now (null: nowhere); used again on resend. */
export async function resolveAddress(
  manager: Pick<EntityManager, 'query'>,
  userId: string,
  channel: NotificationChannel,
): Promise<string | null> {
  const rows: Candidate[] = await manager.query(`${CANDIDATES_SQL} WHERE u.id = $1`, [userId]);
  return rows[0] ? addressOf(rows[0], channel) : null;
}

function payloadOf(n: Notice): DeliveryPayload {
  return {
    taskCode: n.taskCode,
    taskName: n.taskName,
    quarter: n.quarter,
    year: n.year,
    deadline: n.deadline,
    lagging: n.lagging.map((l) => ({ unitCode: l.unitCode, unitName: l.unitName, owes: l.owes })),
    title: n.title,
    body: n.body,
  };
}

/**
 * Creates the deliveries of the notices in the caller's transaction (the projection's, so a
 * notice and its deliveries commit together). Idempotent: notices that already have deliveries
 * are skipped, and the unique (notice_key, user_id, channel) with ON CONFLICT DO NOTHING makes a
 * retried or concurrent projection create nothing twice. In-app deliveries are delivered by being
 * written; e-mail and webhook deliveries wait for the dispatcher, at least the digest window.
 */
export async function enqueueDeliveries(
  tx: Pick<EntityManager, 'query'>,
  notices: readonly Notice[],
  settings: NotificationSettings,
  now: Date = new Date(),
): Promise<number> {
  if (notices.length === 0) return 0;
  const known: Array<{ notice_key: string }> = await tx.query(
    'SELECT DISTINCT notice_key FROM notification_delivery WHERE notice_key = ANY($1)',
    [notices.map((n) => n.key)],
  );
  const skip = new Set(known.map((k) => k.notice_key));
  const fresh = notices.filter((n) => !skip.has(n.key));
  if (fresh.length === 0) return 0;
  const candidates: Candidate[] = await tx.query(
    `${CANDIDATES_SQL} WHERE u.active AND u.role IN ('staff', 'head', 'office', 'leader')`,
  );
  const due = new Date(now.getTime() + settings.dispatcher.digestWindowMs);
  const rows: unknown[][] = [];
  for (const n of fresh) {
    const payload = JSON.stringify(payloadOf(n));
    for (const user of usersFor(n.recipients, candidates)) {
      const base = [n.key, n.workflowId, user.id];
      rows.push([...base, 'in_app', n.kind, 'sent', now, null, payload, now, now]);
      const email = settings.emailEnabled ? addressOf(user, 'email') : null;
      if (email) rows.push([...base, 'email', n.kind, 'pending', due, email, payload, now, null]);
      const hook = settings.webhookEnabled ? addressOf(user, 'webhook') : null;
      if (hook) rows.push([...base, 'webhook', n.kind, 'pending', due, hook, payload, now, null]);
    }
  }
  const columns =
    'notice_key, task_quarter_id, user_id, channel, kind, state, next_attempt_at, address, payload, created_at, sent_at';
  const width = 11;
  for (let i = 0; i < rows.length; i += 400) {
    const chunk = rows.slice(i, i + 400);
    const values = chunk
      .map(
        (_, r) =>
          `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`,
      )
      .join(', ');
    await tx.query(
      `INSERT INTO notification_delivery (${columns}) VALUES ${values}
       ON CONFLICT (notice_key, user_id, channel) DO NOTHING`,
      chunk.flat(),
    );
  }
  return rows.length;
}
