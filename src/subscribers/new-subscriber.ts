/** The record of a member created now: one shape for every store, so that a new field is added in one place. */
import type { Subscriber, SubscriberInput } from '../model.js';

/** A new member from `input`, with its opaque id and both timestamps at `at`. */
export function newSubscriber(input: SubscriberInput, id: string, at: string): Subscriber {
  return {
    id,
    list: input.list,
    email: input.email,
    firstName: input.firstName,
    attributes: input.attributes,
    status: input.status,
    createdAt: at,
    updatedAt: at,
  };
}
