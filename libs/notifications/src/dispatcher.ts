import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { DeliveryPayload } from '@duban/persistence';
import { composeMessage, KIND_ZH, taskQuarterLink, type MessageItem } from './message';
import type { NotificationSettings } from './settings';
import type { EmailSender, WebhookSender } from './transports';

interface ClaimedRow {
  id: string;
  notice_key: string;
  task_quarter_id: string;
  user_id: string;
  channel: 'email' | 'webhook';
  kind: string;
  batch_id: string | null;
  address: string | null;
  payload: DeliveryPayload;
}

/** The deliveries one message carries: same recipient, channel and kind. */
export interface Batch {
  id: string;
  userId: string;
  channel: 'email' | 'webhook';
  kind: string;
  address: string | null;
  items: MessageItem[];
}

/**
 * Due: a retry whose backoff is over, a claim whose lease ran out, or a fresh row whose digest
 * group (recipient, channel, kind) has been quiet for the digest window — no sibling newer than
 * the window — or that has waited ten windows (so a steady trickle cannot starve it). $9 is the
 * digest window in milliseconds.
 */
const DUE = `d.channel <> 'in_app' AND (
  (d.state = 'sending' AND d.lease_until < now()) OR
  (d.state = 'pending' AND d.next_attempt_at <= now() AND (
    d.batch_id IS NOT NULL
    OR d.created_at < now() - 10 * $9 * interval '1 millisecond'
    OR NOT EXISTS (
      SELECT 1 FROM notification_delivery s
      WHERE s.user_id = d.user_id AND s.channel = d.channel AND s.kind = d.kind
        AND s.state = 'pending' AND s.batch_id IS NULL AND s.next_attempt_at > now()))))`;

/**
 * Sends the outbox's e-mail and webhook deliveries.
 *
 * Claiming: a poll locks due rows with FOR UPDATE SKIP LOCKED (so several dispatchers never claim
 * the same row), marks them `sending` under a lease (`lease_until`, `claim_token`) and commits
 * before sending; outcomes are recorded only while the claim token still matches. A row whose
 * lease runs out (its dispatcher died or hung) becomes due again.
 *
 * Digest: rows of one recipient, channel and kind that are due together (their first attempt
 * waits the digest window) get one `batch_id` at their first claim and travel as one message
 * from then on, retries included.
 *
 * Delivered once, honestly: a crash between the receiver accepting a message and this process
 * recording `sent` cannot be told apart from a lost message, so the message is sent again after
 * the lease expires: at-least-once on the wire. What makes it once for the person is that every
 * attempt carries the same id — the batch id as the e-mail's Message-ID and as the webhook's
 * `Idempotency-Key` — and receivers that dedupe by it (mail stores commonly collapse equal
 * Message-IDs; webhook relays should keep recent keys) show it once. A crash before the receiver
 * accepted (for SMTP: before the final 250) is an ordinary retry with no duplicate at all.
 */
export class NotificationDispatcher {
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: NotificationSettings,
    private readonly senders: { email: EmailSender | null; webhook: WebhookSender },
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Stops polling after the batch in flight; its outcome is recorded before this resolves. The
   *  dispatcher can be started again. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let sent = 0;
      try {
        sent = await this.runOnce();
      } catch (error) {
        this.log(`notification dispatch failed: ${(error as Error).message}`);
      }
      if (sent > 0 || this.stopping) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.settings.dispatcher.intervalMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** Claims one batch of due deliveries, sends them, records the outcomes; returns the messages sent or failed. */
  async runOnce(): Promise<number> {
    const token = randomUUID();
    const batches = await this.dataSource.transaction((tx) => this.claim(tx, token));
    await Promise.all(batches.map((b) => this.deliver(b, token)));
    return batches.length;
  }

  private async claim(tx: EntityManager, token: string): Promise<Batch[]> {
    const { batchSize, leaseMs, digestWindowMs } = this.settings.dispatcher;
    const picked: Array<{
      id: string;
      batch_id: string | null;
      user_id: string;
      channel: string;
      kind: string;
    }> = await tx.query(
      `SELECT d.id, d.batch_id, d.user_id, d.channel, d.kind FROM notification_delivery d
       WHERE ${DUE} ORDER BY d.next_attempt_at, d.id LIMIT $1 FOR UPDATE OF d SKIP LOCKED`.replace(
        /\$9/g,
        '$2',
      ),
      [batchSize, digestWindowMs],
    );
    if (picked.length === 0) return [];
    // A batch claimed before travels whole, so its id never names two different messages.
    const earlier = [...new Set(picked.flatMap((p) => (p.batch_id ? [p.batch_id] : [])))];
    if (earlier.length > 0) {
      const more: typeof picked = await tx.query(
        `SELECT d.id, d.batch_id, d.user_id, d.channel, d.kind FROM notification_delivery d
         WHERE d.batch_id = ANY($1) AND ${DUE} AND NOT (d.id = ANY($2)) FOR UPDATE OF d SKIP LOCKED`.replace(
          /\$9/g,
          '$3',
        ),
        [earlier, picked.map((p) => p.id), digestWindowMs],
      );
      picked.push(...more);
    }
    // Digest: a fresh row brings every other unsent, unbatched row of its recipient, channel and
    // kind, due or not yet, so notices that fell due together leave as one message.
    const groups = picked.filter((p) => !p.batch_id);
    if (groups.length > 0) {
      const siblings: typeof picked = await tx.query(
        `SELECT d.id, d.batch_id, d.user_id, d.channel, d.kind FROM notification_delivery d
         JOIN (SELECT DISTINCT unnest($1::uuid[]) AS user_id, unnest($2::varchar[]) AS channel,
                               unnest($3::varchar[]) AS kind) g
           ON g.user_id = d.user_id AND g.channel = d.channel AND g.kind = d.kind
         WHERE d.state = 'pending' AND d.batch_id IS NULL AND NOT (d.id = ANY($4))
         FOR UPDATE OF d SKIP LOCKED`,
        [
          groups.map((p) => p.user_id),
          groups.map((p) => p.channel),
          groups.map((p) => p.kind),
          picked.map((p) => p.id),
        ],
      );
      picked.push(...siblings);
    }
    const fresh = new Map<string, string>();
    const batchIds = picked.map((p) => {
      if (p.batch_id) return p.batch_id;
      const group = `${p.user_id}|${p.channel}|${p.kind}`;
      if (!fresh.has(group)) fresh.set(group, randomUUID());
      return fresh.get(group)!;
    });
    const rows: ClaimedRow[] = await tx
      .query(
        `UPDATE notification_delivery d
       SET state = 'sending', attempts = d.attempts + 1, claim_token = $1,
           lease_until = now() + $2 * interval '1 millisecond', batch_id = v.batch_id
       FROM (SELECT unnest($3::uuid[]) AS id, unnest($4::uuid[]) AS batch_id) v
       WHERE d.id = v.id
       RETURNING d.id, d.notice_key, d.task_quarter_id, d.user_id, d.channel, d.kind, d.batch_id,
                 d.address, d.payload`,
        [token, leaseMs, picked.map((p) => p.id), batchIds],
      )
      .then((result: [ClaimedRow[], number] | ClaimedRow[]) =>
        // TypeORM's postgres driver answers UPDATE … RETURNING with [rows, affected].
        Array.isArray(result[0]) ? result[0] : (result as ClaimedRow[]),
      );
    const batches = new Map<string, Batch>();
    for (const r of rows) {
      const id = r.batch_id!;
      let batch = batches.get(id);
      if (!batch) {
        batch = {
          id,
          userId: r.user_id,
          channel: r.channel,
          kind: r.kind,
          address: r.address,
          items: [],
        };
        batches.set(id, batch);
      }
      batch.items.push({
        deliveryId: r.id,
        noticeKey: r.notice_key,
        taskQuarterId: r.task_quarter_id,
        payload: r.payload,
      });
    }
    return [...batches.values()];
  }

  private async deliver(batch: Batch, token: string): Promise<void> {
    const ids = batch.items.map((i) => i.deliveryId);
    try {
      await this.send(batch);
    } catch (error) {
      const message = (error as Error).message.slice(0, 2000);
      const { backoffMs, maxAttempts } = this.settings.dispatcher;
      await this.dataSource.query(
        `UPDATE notification_delivery
         SET state = CASE WHEN attempts >= $3 THEN 'failed' ELSE 'pending' END,
             last_error = $4, lease_until = NULL, claim_token = NULL,
             next_attempt_at = now() + LEAST($5 * power(2, attempts - 1), 3600000) * interval '1 millisecond'
         WHERE id = ANY($1) AND claim_token = $2`,
        [ids, token, maxAttempts, message, backoffMs],
      );
      return;
    }
    await this.dataSource.query(
      `UPDATE notification_delivery
       SET state = 'sent', sent_at = now(), last_error = NULL, lease_until = NULL, claim_token = NULL
       WHERE id = ANY($1) AND claim_token = $2`,
      [ids, token],
    );
  }

  private async send(batch: Batch): Promise<void> {
    if (!batch.address) throw new Error('收件人没有可用的联系方式');
    const publicUrl = this.settings.publicUrl;
    if (batch.channel === 'email') {
      if (!this.senders.email) throw new Error('未配置SMTP服务器');
      const { subject, text } = composeMessage(batch.kind, batch.items, publicUrl);
      await this.senders.email.send({
        to: batch.address,
        subject,
        text,
        messageId: `<${batch.id}@duban>`,
      });
      return;
    }
    const { subject, text } = composeMessage(batch.kind, batch.items, publicUrl);
    const body = JSON.stringify({
      id: batch.id,
      kind: batch.kind,
      kindLabel: KIND_ZH[batch.kind] ?? batch.kind,
      subject,
      text,
      notices: batch.items.map((i) => ({
        key: i.noticeKey,
        taskQuarterId: i.taskQuarterId,
        link: taskQuarterLink(publicUrl, i.taskQuarterId),
        ...i.payload,
      })),
    });
    await this.senders.webhook.post(batch.address, batch.id, body);
  }
}
