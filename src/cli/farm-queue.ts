/**
 * The farm's BullMQ queue: its connection, and a check that Redis answers before a command starts
 * (ioredis otherwise retries a refused connection forever, silently).
 */
import type { ConnectionOptions } from "bullmq";
import { Redis } from "ioredis";
import type { QueueAddress } from "./farm-options";

/** Thrown when Redis does not answer; the message names the URL. Exit status 1. */
export class RedisUnreachableError extends Error {
  override readonly name = "RedisUnreachableError";
}

/**
 * BullMQ's connection options for `address` (maxRetriesPerRequest null, as its workers require).
 * @example
 * const connection = connectionOf({ redisUrl: "redis://127.0.0.1:6379", queue: "webdreamer-render" }); // to new Queue(...)
 */
export function connectionOf(address: QueueAddress): ConnectionOptions {
  return { url: address.redisUrl, maxRetriesPerRequest: null };
}

/**
 * Pings Redis once. Throws RedisUnreachableError naming the URL when it does not answer.
 * @example
 * await checkRedis({ redisUrl: "redis://127.0.0.1:6379", queue: "webdreamer-render" });
 */
export async function checkRedis(address: QueueAddress): Promise<void> {
  const client = new Redis(address.redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 5000,
  });
  // Without a listener ioredis prints connection errors itself; the first one is the telling one
  // (ECONNREFUSED, ENOTFOUND, NOAUTH), what connect() rejects with is only "Connection is closed".
  let first: Error | undefined;
  client.on("error", (error: Error) => {
    first ??= error;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new RedisUnreachableError(
      `cannot reach Redis at ${address.redisUrl} (${(first ?? error) instanceof Error ? (first ?? (error as Error)).message : String(error)}): start it, or pass --redis URL`,
    );
  } finally {
    client.disconnect();
  }
}
