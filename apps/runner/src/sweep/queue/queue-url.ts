import type { RedisOptions } from 'ioredis';
import { usageError } from '../../exit-codes.js';

/** The queue's Redis: where it is, as said in messages (without the password), and how to reach it. */
export interface QueueTarget {
  readonly shown: string;
  readonly options: RedisOptions;
}

/**
 * `redis://[user:password@]HOST[:PORT][/DB]` or `rediss://` (TLS). The password may also come
 * from SCRATCHNET_REDIS_PASSWORD, which keeps it out of the process list and shell history.
 */
export function parseQueueUrl(text: string, env: NodeJS.ProcessEnv, flag = '--queue'): QueueTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usageError(`${flag} ${text}: not a URL; write redis://HOST:PORT/DB, e.g. redis://127.0.0.1:6379/0 (rediss:// for TLS).`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw usageError(`${flag} ${redact(text)}: the queue is a Redis server, so the URL starts with redis:// or rediss:// (TLS), not ${url.protocol}//.`);
  }
  const port = url.port === '' ? 6379 : Number(url.port);
  const dbText = url.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0 || db > 15 || !/^\d*$/.test(dbText)) {
    throw usageError(`${flag} ${redact(text)}: the path is the database number, 0 to 15 (found "/${dbText}").`);
  }
  const password = url.password === '' ? env.SCRATCHNET_REDIS_PASSWORD : decodeURIComponent(url.password);
  const options: RedisOptions = {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port,
    db,
    ...(url.username === '' ? {} : { username: decodeURIComponent(url.username) }),
    ...(password === undefined || password === '' ? {} : { password }),
    ...(url.protocol === 'rediss:' ? { tls: { servername: url.hostname } } : {}),
  };
  return { shown: `${url.protocol}//${url.host}/${db}`, options };
}

/** A URL with its password replaced, for messages and logs. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}
