/** `--outbox DIR`: every message that SES accepted is also written as an .eml file, exactly as it was sent. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OutboundMessage } from '../../deliver/compose-message.js';
import type { Mailer } from '../../ports.js';
import type { SendReceipt } from '../../model.js';

/** Wraps a Mailer; writes `<list>.<issue>.<subscriber>.eml` after each accepted send. */
export class OutboxMailer implements Mailer {
  constructor(
    private readonly inner: Mailer,
    readonly folder: string,
  ) {
    mkdirSync(folder, { recursive: true });
  }

  async send(message: OutboundMessage): Promise<SendReceipt> {
    const receipt = await this.inner.send(message);
    // The Message-ID is <list.issue.subscriber@domain> with header-safe characters; made file-safe here.
    const name = message.messageId.replace(/^<|@.*$/g, '').replace(/[^A-Za-z0-9._-]/g, '_');
    writeFileSync(join(this.folder, `${name}.eml`), message.raw);
    return receipt;
  }
}
