/** Shared by the engagement tests: the SES Open/Click fixtures and lists that track. */
import { readFileSync } from 'node:fs';
import { type ListsConfig, parseListsConfig } from '../../src/config/lists.js';

/** The Open/Click fixtures in test/fixtures/ses (documented SES event shapes). */
export type EngagementFixture = 'open' | 'open-apple-privacy' | 'open-untagged' | 'click' | 'click-scanner' | 'click-unknown-link';

/** A fixture, parsed. */
export function engagementFixture(name: EngagementFixture): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`../fixtures/ses/${name}.json`, import.meta.url), 'utf8')) as Record<string, any>;
}

/** The example lists, with `weekly` tracking as given (the list the fixtures are tagged with). */
export function listsTracking(tracking: { opens: boolean; clicks: boolean } | undefined): ListsConfig {
  const file = JSON.parse(readFileSync(new URL('../../config/lists.json', import.meta.url), 'utf8')) as {
    lists: Record<string, unknown>[];
  };
  return parseListsConfig({ lists: file.lists.map((list) => (list.id === 'weekly' && tracking ? { ...list, tracking } : list)) });
}
