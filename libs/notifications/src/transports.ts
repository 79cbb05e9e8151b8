import { createTransport } from 'nodemailer';
import { IDEMPOTENCY_HEADER, signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature';
import type { NotificationSettings } from './settings';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  /** `<batch-id@duban>`: the same on every attempt, so a receiver can drop a repeat. */
  messageId: string;
}

export interface EmailSender {
  send(message: OutgoingEmail): Promise<void>;
}

export interface WebhookSender {
  post(url: string, idempotencyKey: string, body: string): Promise<void>;
}

/** SMTP through nodemailer, one connection per message so a stalled server stalls one send. */
export function smtpSender(settings: NotificationSettings): EmailSender | null {
  const smtp = settings.smtp;
  if (!smtp) return null;
  const timeout = settings.dispatcher.sendTimeoutMs;
  const transport = createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    auth: smtp.user && smtp.pass ? { user: smtp.user, pass: smtp.pass } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    async send(message) {
      await transport.sendMail({
        from: smtp.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        messageId: message.messageId,
        headers: { 'X-Duban-Delivery': message.messageId },
      });
    },
  };
}

/** Signed JSON POST; anything but a 2xx answer is a failure to be retried. */
export function webhookSender(settings: NotificationSettings): WebhookSender {
  return {
    async post(url, idempotencyKey, body) {
      const timestamp = Math.floor(Date.now() / 1000);
      const headers: Record<string, string> = {
        'content-type': 'application/json; charset=utf-8',
        [TIMESTAMP_HEADER]: String(timestamp),
        [IDEMPOTENCY_HEADER]: idempotencyKey,
      };
      if (settings.webhookSecret) {
        headers[SIGNATURE_HEADER] = signWebhook(settings.webhookSecret, timestamp, body);
      }
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(settings.dispatcher.sendTimeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) throw new Error(`webhook answered HTTP ${response.status}`);
    },
  };
}
