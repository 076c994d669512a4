import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  headers: Map<string, unknown>;
}

/** A real SMTP server on a random local port that keeps every message it receives. */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  private waiters: (() => void)[] = [];
  port = 0;
  private readonly server: SMTPServer;

  /** Deliveries still to refuse (451, a temporary failure), and how slowly to accept each message. */
  private failuresLeft: number;
  private readonly delayMs: number;
  /** Messages that have started arriving (DATA received), including ones not yet accepted. */
  started = 0;

  constructor(options: { failFirst?: number; delayMs?: number } = {}) {
    this.failuresLeft = options.failFirst ?? 0;
    this.delayMs = options.delayMs ?? 0;
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, callback) => {
        this.started++;
        if (this.failuresLeft > 0) {
          this.failuresLeft--;
          stream.on('end', () => callback(Object.assign(new Error('Try again later'), { responseCode: 451 })));
          stream.resume();
          return;
        }
        simpleParser(stream)
          .then(async (parsed) => {
            if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
            const to = ([] as { value: { address?: string }[] }[])
              .concat((parsed.to as never) ?? [])
              .flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()));
            this.messages.push({
              to,
              from: parsed.from?.text ?? '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              headers: parsed.headers as Map<string, unknown>,
            });
            this.waiters.splice(0).forEach((w) => w());
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as { port: number }).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  to(address: string): ReceivedMail[] {
    return this.messages.filter((m) => m.to.includes(address.toLowerCase()));
  }

  /** Waits until a message to `address` matching `predicate` arrives (default: any). */
  async waitFor(address: string, predicate: (m: ReceivedMail) => boolean = () => true, timeoutMs = 15000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.to(address).find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No email to ${address} matching within ${timeoutMs} ms; got: ${this.messages.map((m) => `${m.to} "${m.subject}"`).join('; ') || 'none'}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 500));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The first link in a message's text that contains `fragment`. */
export function linkIn(mail: ReceivedMail, fragment: string): string {
  const links = mail.text.match(/https?:\/\/\S+/g) ?? [];
  const link = links.find((l) => l.includes(fragment));
  if (!link) throw new Error(`No link containing "${fragment}" in email "${mail.subject}":\n${mail.text}`);
  return link;
}
