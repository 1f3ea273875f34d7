/**
 * A tiny node:http front for a Lambda function URL handler: each request becomes the event that Lambda
 * would pass (payload format 2.0), and the handler's result becomes the response. Form and binary bodies
 * arrive base64-encoded, as function URLs deliver them.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';

/** A running front; `url` has no trailing slash. */
export interface FunctionUrlServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves `handler` on a free local port. */
export async function serveFunctionUrl(
  handler: (event: LambdaFunctionURLEvent) => Promise<LambdaFunctionURLResult>,
): Promise<FunctionUrlServer> {
  const server = createServer((request, response) => {
    toEvent(request)
      .then(handler)
      .then((result) => {
        const r = typeof result === 'string' ? { statusCode: 200, body: result } : result;
        response.writeHead(r.statusCode ?? 200, (r.headers ?? {}) as Record<string, string>);
        response.end(r.isBase64Encoded ? Buffer.from(r.body ?? '', 'base64') : (r.body ?? ''));
      })
      .catch((error: unknown) => {
        // What Lambda answers when the handler throws.
        response.writeHead(502, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ Message: (error as Error).message }));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function toEvent(request: IncomingMessage): Promise<LambdaFunctionURLEvent> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const url = new URL(request.url ?? '/', 'http://function-url.invalid');
  const query: Record<string, string> = {};
  // Function URLs join repeated parameters with commas.
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers[name] = [value].flat().join(',');
  const textual = /^(text\/|application\/json)/.test(headers['content-type'] ?? '');
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: 'test-url-id',
      domainName: 'test-url-id.lambda-url.us-east-1.on.aws',
      domainPrefix: 'test-url-id',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: `req-${Date.now()}`,
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(body.length > 0
      ? { body: textual ? body.toString('utf8') : body.toString('base64'), isBase64Encoded: !textual }
      : { isBase64Encoded: false }),
  } as LambdaFunctionURLEvent;
}
