import { describe, expect, it } from 'vitest';
import { checkDmarc, dmarcLookupNames, dmarcRecordsOf, parseDmarc } from '../../../src/doctor/dmarc-check.js';

describe('dmarcLookupNames', () => {
  it('asks the domain first, then each parent down to two labels', () => {
    expect(dmarcLookupNames('news.example.com.')).toEqual(['_dmarc.news.example.com', '_dmarc.example.com']);
    expect(dmarcLookupNames('Example.com')).toEqual(['_dmarc.example.com']);
  });
});

describe('parsing', () => {
  it('keeps only records that start with v=DMARC1', () => {
    expect(dmarcRecordsOf(['v=spf1 -all', 'v=DMARC1; p=none', 'v=DMARC10'])).toEqual(['v=DMARC1; p=none']);
  });

  it('reads tags case-insensitively by name', () => {
    expect(parseDmarc('v=DMARC1; P=reject ; rua=mailto:a@b.org')).toEqual(
      new Map([
        ['v', 'DMARC1'],
        ['p', 'reject'],
        ['rua', 'mailto:a@b.org'],
      ]),
    );
  });
});

describe('checkDmarc', () => {
  it('fails without a record, with the record to add', () => {
    const f = checkDmarc('news.example.com', undefined);
    expect(f.status).toBe('fail');
    expect(f.fix).toContain('_dmarc.news.example.com "v=DMARC1; p=none; rua=mailto:dmarc-reports@news.example.com"');
  });

  it('is ok with p=none, saying it only monitors', () => {
    const f = checkDmarc('news.example.com', { name: '_dmarc.news.example.com', records: ['v=DMARC1; p=none; rua=mailto:r@example.com'] });
    expect(f).toMatchObject({ status: 'ok', summary: expect.stringContaining('monitoring only') });
    expect(f.summary).toContain('reports go to mailto:r@example.com');
  });

  it("accepts the organizational domain's record and uses its sp= for a subdomain", () => {
    const f = checkDmarc('news.example.com', { name: '_dmarc.example.com', records: ['v=DMARC1; p=none; sp=reject'] });
    expect(f).toMatchObject({ status: 'ok', summary: expect.stringContaining('p=reject') });
  });

  it('fails two DMARC records at one name', () => {
    expect(checkDmarc('a.org', { name: '_dmarc.a.org', records: ['v=DMARC1; p=none', 'v=DMARC1; p=reject'] }).status).toBe('fail');
  });

  it('fails a record without a valid policy', () => {
    expect(checkDmarc('a.org', { name: '_dmarc.a.org', records: ['v=DMARC1; rua=mailto:x@a.org'] }).status).toBe('fail');
  });

  it('warns when DNS could not answer', () => {
    expect(checkDmarc('a.org', { name: '_dmarc.a.org', error: 'queryTxt ESERVFAIL _dmarc.a.org' })).toMatchObject({ status: 'warn' });
  });
});
