// A real SMTP server on loopback (the smtp-server package), collecting what it receives: subject, body and
// envelope, decoded enough to read. Refusals are real SMTP answers, as a mail server would give them.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface TReceived {
  from: string;
  to: string[];
  headers: Record<string, string>;
  subject: string;
  text: string;
}

export interface TSmtpServer {
  port: number;
  received: TReceived[];
  /** Logins seen, right or wrong. */
  logins: number;
  close(): Promise<void>;
}

export interface TSmtpOptions {
  user: string;
  password: string;
  /** Recipients the server refuses with 550 and a chatty text of its own. */
  refuse?: string[];
}

function decodeQuotedPrintable(body: string): string {
  return Buffer.from(
    body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');
}

export function parseMessage(raw: string, envelope: { from: string; to: string[] }): TReceived {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = raw.slice(split + 4);
  const encoding = headers['content-transfer-encoding']?.toLowerCase();
  const text = encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : encoding === 'base64' ? Buffer.from(body, 'base64').toString('utf8') : body;
  return { ...envelope, headers, subject: headers['subject'] ?? '', text: text.replace(/\r\n/g, '\n') };
}

export async function startSmtpServer(options: TSmtpOptions): Promise<TSmtpServer> {
  const received: TReceived[] = [];
  const state = { logins: 0 };
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      state.logins++;
      if (auth.username === options.user && auth.password === options.password) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password for this very chatty server'));
    },
    onRcptTo(address, _session, callback) {
      if (options.refuse?.includes(address.address)) {
        const refusal = Object.assign(new Error(`Mailbox ${address.address} unavailable; also, the weather here is lovely`), { responseCode: 550 });
        callback(refusal);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        received.push(parseMessage(Buffer.concat(chunks).toString('utf8'), { from, to: session.envelope.rcptTo.map((r) => r.address) }));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    get logins() {
      return state.logins;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
