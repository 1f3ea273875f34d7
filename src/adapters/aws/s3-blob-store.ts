/** BlobStore on S3. */
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { BlobStore } from '../../ports.js';

/** Objects of one bucket. */
export class S3BlobStore implements BlobStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  /** Reads an object; with maxBytes, a ranged GET so that an oversized object is never read whole. */
  async get(key: string, options?: { readonly maxBytes?: number }): Promise<Uint8Array | undefined> {
    try {
      const range = options?.maxBytes !== undefined ? `bytes=0-${options.maxBytes - 1}` : undefined;
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range }));
      const bytes = await out.Body!.transformToByteArray();
      // Some S3-compatible servers ignore Range; the limit still holds.
      return options?.maxBytes !== undefined ? bytes.subarray(0, options.maxBytes) : bytes;
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  /** Writes an object. */
  async put(key: string, body: Uint8Array | string, contentType: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
  }
}
