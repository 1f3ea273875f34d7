import { describe, expect, it } from 'vitest';
import { checkListsDocument } from '../../../src/config/check-lists-document.js';
import { ListsConfigError, parseListDefinitions } from '../../../src/config/lists.js';

const weekly = { id: 'weekly', displayName: 'The Weekly', from: 'W <w@news.example.com>', postalAddress: '1 Street' };

const problemsOf = (json: unknown) => {
  try {
    parseListDefinitions(json, 'config/lists.json');
  } catch (error) {
    if (error instanceof ListsConfigError) return error.problems;
    throw error;
  }
  return expect.unreachable('the document should be refused');
};

// The wording is zod 4's, which the lists configuration used before it had its own checker: operators' notes stay true.
describe('checkListsDocument', () => {
  it('fills in the defaults and keeps the fields in the definition order', () => {
    const checked = checkListsDocument({ lists: [{ tracking: { clicks: true }, ...weekly }], note: 'dropped' });
    expect(checked.ok).toBe(true);
    const [list] = checked.ok ? checked.lists : [];
    expect(JSON.stringify(list)).toBe(
      '{"id":"weekly","displayName":"The Weekly","from":"W <w@news.example.com>","postalAddress":"1 Street","accentColor":"#1565c0","proofRecipients":[],"tracking":{"opens":false,"clicks":true}}',
    );
  });

  it('refuses a document that is not an object, and one without lists', () => {
    expect(problemsOf(null)).toEqual([{ pointer: '', message: 'Invalid input: expected object, received null' }]);
    expect(problemsOf({})).toEqual([{ pointer: '/lists', message: 'Invalid input: expected array, received undefined' }]);
    expect(problemsOf({ lists: [] })).toEqual([{ pointer: '/lists', message: 'Too small: expected array to have >=1 items' }]);
  });

  it('reports every problem of a list at once, each with its pointer, unknown keys last', () => {
    expect(problemsOf({ lists: [{ ...weekly, from: '', displayName: 3, extra: 1, other: 2 }] })).toEqual([
      { pointer: '/lists/0/displayName', message: 'Invalid input: expected string, received number' },
      { pointer: '/lists/0/from', message: 'Too small: expected string to have >=1 characters' },
      { pointer: '/lists/0/from', message: 'must be an address such as "Name <news@example.com>"' },
      { pointer: '/lists/0', message: 'Unrecognized keys: "extra", "other"' },
    ]);
  });

  it('checks proof recipients and breaker limits item by item', () => {
    const breaker = { maxBounceRate: 1, minSample: 0.5, maxComplaints: -1, minComplaintSample: Number.NaN, x: 1 };
    expect(problemsOf({ lists: [{ ...weekly, proofRecipients: ['bad', 5], breaker }] })).toEqual([
      { pointer: '/lists/0/proofRecipients/0', message: 'Invalid email address' },
      { pointer: '/lists/0/proofRecipients/1', message: 'Invalid input: expected string, received number' },
      { pointer: '/lists/0/breaker/maxBounceRate', message: 'Too big: expected number to be <1' },
      { pointer: '/lists/0/breaker/minSample', message: 'Invalid input: expected int, received number' },
      { pointer: '/lists/0/breaker/minComplaintSample', message: 'Invalid input: expected number, received NaN' },
      { pointer: '/lists/0/breaker/maxComplaints', message: 'Too small: expected number to be >=0' },
      { pointer: '/lists/0/breaker', message: 'Unrecognized key: "x"' },
    ]);
  });

  it('refuses a mailto unsubscribe, a phrase that is not text (without judging the others) and a tracking flag that is not a boolean', () => {
    const list = { ...weekly, tracking: { opens: 'yes' }, phrases: { confirmButton: 5, confirmButtonText: 'Yes' }, unsubscribeMailto: 'x' };
    expect(problemsOf({ lists: [list] })).toEqual([
      { pointer: '/lists/0/unsubscribeMailto', message: expect.stringMatching(/^is not a list setting: .*"unsubscribeMailbox"/) },
      { pointer: '/lists/0/phrases/confirmButton', message: 'list "weekly": Invalid input: expected string, received number' },
      { pointer: '/lists/0/tracking/opens', message: 'Invalid input: expected boolean, received string' },
    ]);
  });

  it('refuses a link a reader could not follow in a URL field', () => {
    expect(problemsOf({ lists: [{ ...weekly, archiveBaseUrl: 'ftp://files.example.com' }] })).toEqual([
      { pointer: '/lists/0/archiveBaseUrl', message: 'scheme "ftp:" is not allowed (use https: or http:)' },
    ]);
  });
});
