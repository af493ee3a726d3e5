// Test helper: HTTP requests as an attacker would send them.
import { connect } from 'node:net';

export interface RawResponse {
  readonly status: number;
  readonly head: string;
  readonly body: string;
  readonly raw: string;
}

/** Sends the request line exactly as given: fetch and http.request would normalise `..` away. */
export function rawRequest(port: number, target: string, method = 'GET', host = '127.0.0.1'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let raw = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (raw += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const split = raw.indexOf('\r\n\r\n');
      resolve({ status: Number(raw.slice(9, 12)), head: raw.slice(0, split), body: raw.slice(split + 4), raw });
    });
    socket.write(`${method} ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  });
}
