/** The studio's request guard, pure. */
import { describe, expect, it } from 'vitest';
import { refuseForeignRequest, studioHosts } from '../../../src/studio/request-guard.js';

const hosts = studioHosts(4300, '127.0.0.1');

describe('the studio request guard', () => {
  it('answers the studio’s loopback names on its port, whatever their case', () => {
    expect(hosts).toEqual(['localhost:4300', '127.0.0.1:4300', '[::1]:4300']);
    for (const host of ['localhost:4300', '127.0.0.1:4300', '[::1]:4300', 'LOCALHOST:4300']) {
      expect(refuseForeignRequest({ method: 'GET', host, origin: undefined }, hosts), host).toBeUndefined();
    }
  });

  it('refuses another name (DNS rebinding), another port, and a missing Host with 421 and what to do', () => {
    for (const host of ['evil.example:4300', 'localhost:4301', 'localhost', '127.0.0.1.nip.io:4300', undefined]) {
      const refusal = refuseForeignRequest({ method: 'GET', host, origin: undefined }, hosts);
      expect(refusal?.status, String(host)).toBe(421);
      expect(refusal?.message).toContain('http://localhost:4300/');
      expect(refusal?.message).toContain('DNS rebinding');
    }
  });

  it('refuses a POST from another site’s page, and from an opaque origin, with 403', () => {
    for (const origin of ['https://evil.example', 'http://localhost:4301', 'null', 'http://evil.example:4300']) {
      const refusal = refuseForeignRequest({ method: 'POST', host: 'localhost:4300', origin }, hosts);
      expect(refusal?.status, origin).toBe(403);
      expect(refusal?.message).toContain(origin);
    }
  });

  it('lets a POST from the studio’s own pages, or with no Origin (a mail provider’s one-click unsubscribe), through', () => {
    expect(refuseForeignRequest({ method: 'POST', host: '127.0.0.1:4300', origin: 'http://127.0.0.1:4300' }, hosts)).toBeUndefined();
    expect(refuseForeignRequest({ method: 'POST', host: '127.0.0.1:4300', origin: 'http://localhost:4300' }, hosts)).toBeUndefined();
    expect(refuseForeignRequest({ method: 'POST', host: '127.0.0.1:4300', origin: undefined }, hosts)).toBeUndefined();
  });

  it('adds the configured listen address, but no name for a wildcard one; port 80 also without a port', () => {
    expect(studioHosts(4300, 'studio.lan')).toContain('studio.lan:4300');
    expect(studioHosts(4300, '::1')).toEqual(['localhost:4300', '127.0.0.1:4300', '[::1]:4300']);
    expect(studioHosts(4300, '0.0.0.0')).toHaveLength(3);
    expect(studioHosts(80)).toContain('localhost');
  });
});
