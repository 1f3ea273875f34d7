import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { readFunctionUrlRequest } from '../../../src/adapters/aws/function-url-request.js';

const base = { rawPath: '/', requestContext: { http: { method: 'POST' } } } as unknown as LambdaFunctionURLEvent;

describe('readFunctionUrlRequest', () => {
  it('decodes a base64 form body and keeps the query', () => {
    const event = {
      ...base,
      queryStringParameters: { t: 'v1.k1.x.y' },
      body: Buffer.from('List-Unsubscribe=One-Click').toString('base64'),
      isBase64Encoded: true,
    };
    expect(readFunctionUrlRequest(event)).toEqual({
      method: 'POST',
      path: '/',
      query: { t: 'v1.k1.x.y' },
      body: 'List-Unsubscribe=One-Click',
    });
  });

  it('reads a plain body and tolerates a missing query and body', () => {
    expect(readFunctionUrlRequest({ ...base, body: 'a=b', isBase64Encoded: false }).body).toBe('a=b');
    expect(readFunctionUrlRequest({ ...base, requestContext: { http: { method: 'GET' } } } as unknown as LambdaFunctionURLEvent)).toEqual({
      method: 'GET',
      path: '/',
      query: {},
      body: '',
    });
  });
});
