/** The studio's route table, pure. */
import { describe, expect, it } from 'vitest';
import { type Route, RouteTable } from '../../../src/studio/route-table.js';

const noop = () => {};
const routes: Route[] = [
  { method: 'GET', path: '/', handler: noop },
  { method: 'GET', path: '/brief/:file', handler: noop },
  { method: 'GET', path: '/brief/:file/email.html', handler: noop },
  { method: 'POST', path: '/brief/:file/send', handler: noop },
  { method: 'GET', path: '/archive/:list/', handler: noop },
];
const table = new RouteTable(routes);

describe('the studio route table', () => {
  it('finds a route by method and path and decodes its parameters', () => {
    const match = table.match('GET', '/brief/caf%C3%A9%20news.json');
    expect(match).toMatchObject({ kind: 'found', route: routes[1], params: { file: 'café news.json' } });
    expect(table.match('POST', '/brief/a.json/send')).toMatchObject({ kind: 'found', route: routes[3], params: { file: 'a.json' } });
    expect(table.match('GET', '/archive/weekly/')).toMatchObject({ kind: 'found', params: { list: 'weekly' } });
  });

  it('answers HEAD with the GET route', () => {
    expect(table.match('HEAD', '/')).toMatchObject({ kind: 'found', route: routes[0] });
  });

  it('says which methods a known path allows', () => {
    expect(table.match('GET', '/brief/a.json/send')).toEqual({ kind: 'method-not-allowed', allow: ['POST'] });
    expect(table.match('DELETE', '/')).toEqual({ kind: 'method-not-allowed', allow: ['GET'] });
  });

  it('never lets a parameter be a path: encoded slashes, backslashes and bad escapes do not match', () => {
    for (const path of [
      '/brief/..%2Fsecrets.json',
      '/brief/a%5Cb.json',
      '/brief/%E0%A4%A.json',
      '/brief/a/b',
      '/brief/',
      '/briefs/a.json',
      '/brief/a.jsonx/email.html/x',
    ]) {
      expect(table.match('GET', path), path).toEqual({ kind: 'not-found' });
    }
  });

  it('matches dots in a pattern literally', () => {
    expect(table.match('GET', '/brief/a.json/emailxhtml')).toEqual({ kind: 'not-found' });
  });
});
