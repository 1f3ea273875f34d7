/** Lambda function URL events in and out: the few fields the lifecycle endpoints read, decoded once. */
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';

/** A function URL request reduced to what the endpoints use. */
export interface FunctionUrlRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** The body as text (function URLs base64-encode form posts). */
  readonly body: string;
}

/** Reads a function URL event. */
export function readFunctionUrlRequest(event: LambdaFunctionURLEvent): FunctionUrlRequest {
  const raw = event.body ?? '';
  return {
    method: event.requestContext?.http?.method ?? 'GET',
    path: event.rawPath ?? '/',
    query: Object.fromEntries(
      Object.entries(event.queryStringParameters ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'),
    ),
    body: event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw,
  };
}

/** A function URL answer. */
export function functionUrlResult(status: number, headers: Readonly<Record<string, string>>, body: string): LambdaFunctionURLResult {
  return { statusCode: status, headers: { ...headers }, body };
}
