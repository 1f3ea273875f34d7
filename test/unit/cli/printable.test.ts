import { describe, expect, it } from 'vitest';
import { printable, printableData } from '../../../src/cli/printable.js';
import { main } from '../../../src/cli/main.js';
import type { CliIo } from '../../../src/cli/command.js';

describe('printable', () => {
  it('shows escape sequences, bell, carriage return and C1 controls as \\u escapes', () => {
    expect(printable('Ada\u001b]0;pwned\u0007\r\u009b2J')).toBe('Ada\\u001b]0;pwned\\u0007\\u000d\\u009b2J');
  });

  it('shows bidi overrides, so a line cannot be reordered on screen', () => {
    expect(printable('invoice\u202egpj.exe')).toBe('invoice\\u202egpj.exe');
  });

  it('keeps line feeds, tabs and every printable character', () => {
    expect(printable('line one\n\tÅda 李 🙂')).toBe('line one\n\tÅda 李 🙂');
  });

  it('keeps the CRLF line ends of data, not a lone carriage return', () => {
    expect(printableData('a,b\r\nc\u001b,d\r\n')).toBe('a,b\r\nc\\u001b,d\r\n');
    expect(printableData('a\rb')).toBe('a\\u000db');
  });

  it('is applied to every line main prints, including errors naming a file argument', async () => {
    const printed: string[] = [];
    const io: CliIo = { out: (t) => printed.push(t), err: (t) => printed.push(t), cwd: process.cwd(), env: {}, isTty: false };
    expect(await main(['frobnicate\u001b[2J'], io)).toBe(2);
    expect(printed.join('\n')).toContain('frobnicate\\u001b[2J');
    expect(printed.join('\n')).not.toContain('\u001b');
  });
});
