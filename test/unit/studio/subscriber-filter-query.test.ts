import { describe, expect, it } from 'vitest';
import { membersPath } from '../../../src/studio/subscriber-pages.js';
import { filterOf } from '../../../src/studio/subscriber-routes.js';

describe('the Subscribers page query', () => {
  it('reads address, status, tag and field into a filter', () => {
    const query = new URLSearchParams('q=Ada&status=bounced&tag=VIP&field=country&value=DE');
    expect(filterOf(query)).toEqual({
      filter: { addressPrefix: 'Ada', status: 'bounced', tag: 'VIP', field: { name: 'country', value: 'DE' } },
    });
  });

  it('drops an unknown status and a half-given or malformed field, each with a note', () => {
    expect(filterOf(new URLSearchParams('status=gone'))).toEqual({ filter: {}, note: '"gone" is not a status; any status is shown.' });
    expect(filterOf(new URLSearchParams('field=country')).note).toBe('A field filter needs both a field name and a value.');
    expect(filterOf(new URLSearchParams('field=$.x&value=1'))).toMatchObject({
      filter: {},
      note: expect.stringContaining('not a field name'),
    });
  });

  it('writes a filter and cursor trail back into a path that reads the same filter', () => {
    const filter = { addressPrefix: 'a&b', status: 'subscribed' as const, field: { name: 'city', value: 'São Paulo' } };
    const path = membersPath('weekly', filter, 'k@x', ['', 'c@x']);
    const query = new URL(path, 'http://studio.invalid').searchParams;
    expect(filterOf(query).filter).toEqual(filter);
    expect([query.get('after'), query.getAll('back')]).toEqual(['k@x', ['', 'c@x']]);
  });
});
