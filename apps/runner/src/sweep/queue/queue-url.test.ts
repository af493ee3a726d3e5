import { describe, expect, it } from 'vitest';
import { parseQueueUrl, redact } from './queue-url.js';

describe('parseQueueUrl', () => {
  it('reads host, port, database, user and password, and never shows the password', () => {
    const target = parseQueueUrl('redis://worker:s3cr%40t@queue.local:6380/2', {});
    expect(target.options).toEqual({ host: 'queue.local', port: 6380, db: 2, username: 'worker', password: 's3cr@t' });
    expect(target.shown).toBe('redis://queue.local:6380/2');
  });

  it('defaults to port 6379 and database 0, takes the password from SCRATCHNET_REDIS_PASSWORD, and TLS from rediss://', () => {
    expect(parseQueueUrl('redis://127.0.0.1', {}).options).toEqual({ host: '127.0.0.1', port: 6379, db: 0 });
    expect(parseQueueUrl('rediss://q.example:6390/1', { SCRATCHNET_REDIS_PASSWORD: 'pw' }).options).toEqual({
      host: 'q.example',
      port: 6390,
      db: 1,
      password: 'pw',
      tls: { servername: 'q.example' },
    });
  });

  it('refuses what is not a Redis URL, saying what to write', () => {
    expect(() => parseQueueUrl('localhost:6379', {})).toThrow(/redis:\/\/ or rediss:\/\//);
    expect(() => parseQueueUrl('not a url', {})).toThrow(/not a URL; write redis:\/\/HOST:PORT\/DB/);
    expect(() => parseQueueUrl('http://x:1/0', {})).toThrow(/starts with redis:\/\/ or rediss:\/\/ \(TLS\), not http:\/\//);
    expect(() => parseQueueUrl('redis://x/16', {})).toThrow(/database number, 0 to 15 \(found "\/16"\)/);
    expect(() => parseQueueUrl('redis://:hunter2@x/db', {})).toThrow(/^--queue redis:\/\/:\*\*\*@x\/db: /);
  });

  it('redact hides only the password', () => {
    expect(redact('redis://user:pw@h:1/0')).toBe('redis://user:***@h:1/0');
    expect(redact('redis://h:1/0')).toBe('redis://h:1/0');
  });
});
