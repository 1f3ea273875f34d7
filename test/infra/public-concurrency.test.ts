/** Every public function (a function URL anyone can call) runs with reserved concurrency, set by context `publicConcurrency`. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PUBLIC_CONCURRENCY, PUBLIC_CONCURRENCY_KEY } from '../../lib/public-concurrency.js';
import { buildStack, synthTemplate } from './synth-stack.js';

type Json = Record<string, any>;

/** The reserved concurrency of every function a Lambda::Url targets, by logical id. */
function publicFunctions(template: Json): Record<string, unknown> {
  const resources = template.Resources as Record<string, Json>;
  const targets = Object.values(resources)
    .filter((r) => r.Type === 'AWS::Lambda::Url')
    .map((r) => r.Properties.TargetFunctionArn['Fn::GetAtt'][0] as string);
  return Object.fromEntries(targets.map((id) => [id, resources[id]!.Properties.ReservedConcurrentExecutions]));
}

describe('public functions', () => {
  it(`reserve ${DEFAULT_PUBLIC_CONCURRENCY} concurrent executions each by default (subscribe/confirm, unsubscribe, any other URL)`, () => {
    const reserved = publicFunctions(synthTemplate().toJSON());
    expect(Object.keys(reserved).length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(reserved).some((id) => id.startsWith('LifecycleUnsubscribe'))).toBe(true);
    expect(Object.keys(reserved).some((id) => id.startsWith('LifecycleSubscribe'))).toBe(true);
    for (const [id, value] of Object.entries(reserved)) expect(value, id).toBe(DEFAULT_PUBLIC_CONCURRENCY);
  });

  it(`take the cap from context "${PUBLIC_CONCURRENCY_KEY}"`, () => {
    const reserved = publicFunctions(synthTemplate({ [PUBLIC_CONCURRENCY_KEY]: '25' }).toJSON());
    expect(new Set(Object.values(reserved))).toEqual(new Set([25]));
  });

  it('refuse an unusable value at synth, naming the key', () => {
    for (const bad of ['0', '1001', 'ten', '2.5']) {
      expect(() => buildStack({ [PUBLIC_CONCURRENCY_KEY]: bad }), bad).toThrow(
        /Context "publicConcurrency" is .*whole number from 1 to 1000/,
      );
    }
  });
});
