import { Redis } from 'ioredis';
import type { QueueTarget } from './queue-url.js';

/**
 * A connection that retries with backoff (0.5 s doubling to 10 s) for as long as Redis is away
 * and says so once per attempt; commands wait meanwhile (BullMQ requires
 * maxRetriesPerRequest: null), so nothing in flight is lost.
 */
export function connectQueue(target: QueueTarget, note: (text: string) => void): Redis {
  let lastError = '';
  const redis = new Redis({
    ...target.options,
    maxRetriesPerRequest: null,
    retryStrategy(times) {
      const delay = Math.min(500 * 2 ** Math.min(times - 1, 5), 10_000);
      note(`cannot reach Redis at ${target.shown}${lastError === '' ? '' : ` (${lastError})`}; retrying in ${(delay / 1000).toFixed(1)} s (attempt ${times})`);
      return delay;
    },
  });
  let lost = false;
  redis.on('error', (error: Error) => {
    lastError = (error as NodeJS.ErrnoException).code ?? error.message;
  });
  redis.on('close', () => (lost = true));
  redis.on('ready', () => {
    if (lost) note(`connected to Redis at ${target.shown} again`);
    lost = false;
  });
  return redis;
}
