import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A message the test SMTP server read in full (whether or not it then answered 250). */
export interface ReceivedMail {
  to: string[];
  messageId: string;
  subject: string;
  text: string;
  /** True once the server answered 250 on a connection that was still open. */
  accepted: boolean;
  sessionId: string;
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, enc: string, data: string) =>
      enc.toLowerCase() === 'b'
        ? Buffer.from(data, 'base64').toString('utf8')
        : Buffer.from(
            data
              .replace(/_/g, ' ')
              .replace(/=([0-9a-f]{2})/gi, (__, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

/** Just enough MIME for nodemailer's single-part text messages. */
export function parseMail(raw: string): Omit<ReceivedMail, 'to' | 'accepted' | 'sessionId'> {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    headers.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  let text: string;
  if (encoding === 'base64') text = Buffer.from(body, 'base64').toString('utf8');
  else if (encoding === 'quoted-printable') {
    const bytes = body
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    text = Buffer.from(bytes, 'latin1').toString('utf8');
  } else text = body;
  return {
    messageId: headers.get('message-id') ?? '',
    subject: decodeWords(headers.get('subject') ?? ''),
    text: text.replace(/\r\n/g, '\n').trimEnd(),
  };
}

export interface MailReceiver {
  port: number;
  mails: ReceivedMail[];
  /** While set, the server reads the next message in full and then waits before answering. */
  stallNext: (() => Promise<void>) | null;
  /** Whether the client of this SMTP session has hung up. */
  isClosed(sessionId: string): boolean;
  close(): Promise<void>;
}

export async function startMailReceiver(): Promise<MailReceiver> {
  const receiver: MailReceiver = {
    port: 0,
    mails: [],
    stallNext: null,
    isClosed: (id) => closed.has(id),
    close: () => Promise.resolve(),
  };
  const closed = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    onClose(session) {
      closed.add(session.id);
    },
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mail: ReceivedMail = {
          ...parseMail(Buffer.concat(chunks).toString('utf8')),
          to: session.envelope.rcptTo.map((r) => r.address),
          accepted: false,
          sessionId: session.id,
        };
        receiver.mails.push(mail);
        const stall = receiver.stallNext;
        receiver.stallNext = null;
        void (stall ? stall() : Promise.resolve()).then(() => {
          // A client that hung up never saw the 250: by SMTP the message was not accepted.
          mail.accepted = !closed.has(session.id);
          callback();
        });
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.port = (server.server.address() as AddressInfo).port;
  receiver.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return receiver;
}

export interface WebhookCall {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

export interface WebhookReceiver {
  url: string;
  calls: WebhookCall[];
  /** Statuses to answer per path, per attempt of one Idempotency-Key: the last one repeats. */
  script: Map<string, number[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const calls: WebhookCall[] = [];
  const script = new Map<string, number[]>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      const key = req.headers['idempotency-key'];
      const seen = calls.filter(
        (c) => c.path === path && c.headers['idempotency-key'] === key,
      ).length;
      const plan = script.get(path) ?? [200];
      const status = plan[Math.min(seen, plan.length - 1)];
      calls.push({
        path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        status,
      });
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    script,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
