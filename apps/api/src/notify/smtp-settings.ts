// The SMTP server email goes through, from RAMPART_SMTP_URL (smtp://user:pass@host:port, or smtps:// for
// TLS from the first byte). The password lives in a private field: the settings may be logged or printed
// whole, and neither JSON nor util.inspect can reach it.
import { inspect } from 'node:util';

export class SmtpSettings {
  readonly #password: string;
  constructor(
    readonly host: string,
    readonly port: number,
    /** smtps://: TLS from the start; smtp://: STARTTLS when the server offers it. */
    readonly secure: boolean,
    readonly user: string | null,
    password: string,
    /** The From address of every email Rampart sends. */
    readonly from: string,
  ) {
    this.#password = password;
  }

  /** The credentials for the SMTP client, and for nothing else. */
  auth(): { user: string; pass: string } | null {
    return this.user === null ? null : { user: this.user, pass: this.#password };
  }

  /** How the server is named in logs and banners: never with the password. */
  describe(): string {
    return `${this.secure ? 'smtps' : 'smtp'}://${this.user === null ? '' : `${this.user}@`}${this.host}:${this.port}`;
  }

  toJSON() {
    return { server: this.describe(), from: this.from };
  }

  [inspect.custom]() {
    return `SmtpSettings(${this.describe()}, from ${this.from})`;
  }
}

/** The settings from the URL and From address, or the problems with them (each naming the variable, never the password). */
export function parseSmtpSettings(url: string, from: string | undefined, publicUrl: string): { settings: SmtpSettings | null; problems: string[] } {
  const refuse = (problem: string) => ({ settings: null, problems: [`RAMPART_SMTP_URL: ${problem}`] });
  if (!URL.canParse(url)) return refuse('must be a URL such as smtp://user:password@mail.example.com:587');
  const parsed = new URL(url);
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') return refuse('must start with smtp:// or smtps://');
  if (!parsed.hostname) return refuse('must name a host');
  const secure = parsed.protocol === 'smtps:';
  const port = parsed.port === '' ? (secure ? 465 : 587) : Number(parsed.port);
  const user = parsed.username === '' ? null : decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const sender = from ?? `Rampart <rampart@${new URL(publicUrl).hostname}>`;
  return { settings: new SmtpSettings(host, port, secure, user, password, sender), problems: [] };
}
