/**
 * The SDK clients of the functions, one of each per process, built on first use: a function's bundle holds
 * only the clients its wiring module asks for (each getter is its own export; the SDK packages are free of
 * side effects, so esbuild drops the rest). Tests reach the same clients (e.g. to add SDK middleware), never
 * by patching. AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_<SERVICE>) points them at any AWS-compatible endpoint;
 * S3 then uses path-style addressing, which emulators need.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { once } from '../once.js';

/** The longest an SES call may take before it is aborted. */
export const SES_REQUEST_TIMEOUT_MS = 5_000;

/** The client option naming the service's endpoint from the environment; none (the SDK's default) when unset. */
function endpoint(env: NodeJS.ProcessEnv, service: string): { endpoint?: string } {
  const url = env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL;
  return url ? { endpoint: url } : {};
}

/** Builds a DynamoDB document client (for everything but the per-delivery writes). */
export function newDynamoDocumentClient(env: NodeJS.ProcessEnv): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(endpoint(env, 'DYNAMODB')), { marshallOptions: { removeUndefinedValues: true } });
}

/**
 * Builds the plain DynamoDB client of the per-delivery writes. cacheMiddleware resolves the middleware
 * stack once per command type instead of on every call (the document client refuses that option).
 */
export function newDynamoHotClient(env: NodeJS.ProcessEnv): DynamoDBClient {
  return new DynamoDBClient({ ...endpoint(env, 'DYNAMODB'), cacheMiddleware: true });
}

/** Builds an SES client. */
export function newSesClient(env: NodeJS.ProcessEnv): SESClient {
  // One attempt: an SDK retry after a timeout could deliver a message twice; the send job retries, knowing
  // the claim. A hung call is aborted (without throwOnRequestTimeout the handler only logs a warning) well
  // before the send function's deadline.
  return new SESClient({
    ...endpoint(env, 'SES'),
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 2000, requestTimeout: SES_REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
    // The middleware stack resolved once per command type, not on every send (~0.5 ms of CPU per message).
    // Middleware added after the first send would never run, so tests inject faults at the HTTP level instead.
    cacheMiddleware: true,
  });
}

/** Builds an S3 client. */
export function newS3Client(env: NodeJS.ProcessEnv): S3Client {
  const s3Endpoint = endpoint(env, 'S3');
  return new S3Client({ ...s3Endpoint, forcePathStyle: s3Endpoint.endpoint !== undefined });
}

/** Builds an SQS client. */
export function newSqsClient(env: NodeJS.ProcessEnv): SQSClient {
  return new SQSClient(endpoint(env, 'SQS'));
}

/** Builds a Secrets Manager client. */
export function newSecretsClient(env: NodeJS.ProcessEnv): SecretsManagerClient {
  return new SecretsManagerClient(endpoint(env, 'SECRETS_MANAGER'));
}

/** Builds an EventBridge Scheduler client. */
export function newSchedulerClient(env: NodeJS.ProcessEnv): SchedulerClient {
  return new SchedulerClient(endpoint(env, 'SCHEDULER'));
}

// Getters are marked pure so that esbuild drops the ones a function never calls, with their SDK package.

/** The process's DynamoDB document client. */
export const dynamoClient = /* @__PURE__ */ once(() => newDynamoDocumentClient(process.env));
/** The process's plain DynamoDB client for per-delivery writes. */
export const dynamoHotClient = /* @__PURE__ */ once(() => newDynamoHotClient(process.env));
/** The process's SES client. */
export const sesClient = /* @__PURE__ */ once(() => newSesClient(process.env));
/** The process's S3 client. */
export const s3Client = /* @__PURE__ */ once(() => newS3Client(process.env));
/** The process's SQS client. */
export const sqsClient = /* @__PURE__ */ once(() => newSqsClient(process.env));
/** The process's Secrets Manager client. */
export const secretsClient = /* @__PURE__ */ once(() => newSecretsClient(process.env));
/** The process's EventBridge Scheduler client. */
export const schedulerClient = /* @__PURE__ */ once(() => newSchedulerClient(process.env));
