/**
 * A list of mixed members for audience tests, the same for the memory store and DynamoDB: tags, fields and
 * statuses follow the member's number, so that who matches can be worked out without the code under test.
 */
import type { Audience, SubscriberInput } from '../../src/model.js';

/** The audience the tests send to: tag premium or VIP, and country DE or AT. */
export const PREMIUM_DACH: Audience = { tags: ['premium', 'VIP'], fields: { country: ['DE', 'AT'] } };

const TAGS = ['premium', 'free', 'premium;vip', undefined] as const;
// 'at' in lower case: values compare case-insensitively.
const COUNTRIES = ['DE', 'AT', 'FR', 'US', 'at'] as const;

/** Member `i` of the population (addresses sort in member order). */
export function populationMember(list: string, i: number): SubscriberInput {
  const attributes: Record<string, string> = {};
  const tags = TAGS[i % 4];
  if (tags) attributes.tags = tags;
  // Every eleventh member has no fields at all.
  if (i % 11 !== 0) {
    attributes.country = COUNTRIES[i % 5]!;
    attributes.city = `City ${i} <b>&`;
  }
  if (i === 9_995) attributes.tags = 'rare';
  return {
    list,
    email: `member${String(i).padStart(5, '0')}@example.org`,
    firstName: `Member ${i}`,
    attributes: Object.keys(attributes).length > 0 ? attributes : undefined,
    // Every tenth member left: never planned, whatever its tags.
    status: i % 10 === 9 ? 'unsubscribed' : 'subscribed',
  };
}

/** The population's members, numbered 0 … n-1. */
export function population(list: string, n: number): SubscriberInput[] {
  return Array.from({ length: n }, (_, i) => populationMember(list, i));
}

/** The addresses PREMIUM_DACH must reach, worked out from the numbering alone. */
export function expectedPremiumDach(list: string, n: number): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < n; i++) {
    const subscribed = i % 10 !== 9;
    const premiumOrVip = (i % 4 === 0 || i % 4 === 2) && i !== 9_995;
    const dach = i % 11 !== 0 && [0, 1, 4].includes(i % 5);
    if (subscribed && premiumOrVip && dach) out.add(populationMember(list, i).email);
  }
  return out;
}
