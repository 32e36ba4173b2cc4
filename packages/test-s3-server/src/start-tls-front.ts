import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsFront {
  /** `https://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** The self-signed certificate (PEM) clients must trust, as a CA bundle file. */
  readonly caFile: string;
  stop(): Promise<void>;
}

/**
 * HTTPS on 127.0.0.1 in front of a test server, with a certificate made for this run by
 * `openssl` and signed by nobody: what a corporate TLS proxy looks like to a client.
 */
export async function startTlsFront(target: { port: number }): Promise<TlsFront> {
  const directory = await mkdtemp(join(tmpdir(), 'dg-tls-'));
  const keyFile = join(directory, 'key.pem');
  const caFile = join(directory, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      caFile,
    ],
    { stdio: 'ignore' },
  );
  const sockets = new Set<Socket>();
  const server = createServer(
    { key: await readFile(keyFile), cert: await readFile(caFile) },
    (incoming: IncomingMessage, response: ServerResponse) => {
      const upstream = forward(
        {
          host: '127.0.0.1',
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      upstream.on('error', () => response.socket?.destroy());
      incoming.pipe(upstream);
    },
  );
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('TLS front did not bind');
  return {
    endpoint: `https://127.0.0.1:${address.port}`,
    caFile,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(directory, { recursive: true, force: true });
    },
  };
}
