/** docs/runbook.md has a section for every alarm of the synthesized stack, and no section for an alarm that is gone. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runbookLink } from '../../lib/pipeline-alarms.js';
import { synthTemplate } from './synth-stack.js';

type Json = Record<string, any>;

const runbook = readFileSync('docs/runbook.md', 'utf8');
/** `## \`SendDeadLetters\`` → its text up to the next `## `. */
const sections = new Map(
  runbook
    .split(/^## /m)
    .slice(1)
    .map((section) => [/^`([A-Za-z]+)`\n/.exec(section)?.[1], section] as const)
    .filter((entry): entry is [string, string] => entry[0] !== undefined),
);

// With every optional part that brings an alarm of its own (the mail unsubscribe), so that its section is checked too.
const template = synthTemplate({ unsubscribeMailbox: 'unsubscribe@news.example.com' }).toJSON() as Json;
const alarms = Object.entries(template.Resources as Record<string, Json>)
  .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm')
  .map(([logicalId, r]) => ({ id: logicalId.replace(/^Alarms/, '').replace(/[0-9A-F]{8}$/, ''), properties: r.Properties as Json }));

describe('runbook', () => {
  it('finds the alarms it checks (the walk is not vacuous)', () => {
    expect(alarms.length).toBeGreaterThanOrEqual(18);
  });

  it('has a section headed by each alarm’s name, saying what fired, what it means and what to do, with a command', () => {
    const missing = alarms.map((a) => a.id).filter((id) => !sections.has(id));
    expect(missing, 'alarms without a section in docs/runbook.md').toEqual([]);
    for (const { id } of alarms) {
      const section = sections.get(id)!;
      for (const part of ['**Fired:**', '**Means:**', '**Do:**']) expect(section, `${id}: ${part}`).toContain(part);
      expect(section, `${id}: a command`).toMatch(/```sh\n.*\S.*\n/);
    }
  });

  it('has no section for an alarm the stack no longer has', () => {
    const ids = new Set(alarms.map((a) => a.id));
    expect([...sections.keys()].filter((id) => !ids.has(id))).toEqual([]);
  });

  it('names each alarm <stack>-<section> and links its section from its description', () => {
    for (const { id, properties } of alarms) {
      expect(properties.AlarmName).toBe(`Newsbrief-${id}`);
      expect(properties.AlarmDescription).toContain(`Runbook: ${runbookLink(id)}`);
    }
  });

  it('is linked from docs/deploy.md', () => {
    expect(readFileSync('docs/deploy.md', 'utf8')).toContain('(runbook.md)');
  });
});
