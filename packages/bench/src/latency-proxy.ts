import { createConnection, createServer, type Socket } from 'node:net';
import { classifyRequest, type S3RequestType } from '@deltaglider/test-s3-server';

export interface LatencyProxy {
  readonly endpoint: string;
  /** Connections opened and requests seen, by S3 request type, since the last reset. */
  counts(): { connections: number; requests: Partial<Record<S3RequestType, number>> };
  reset(): void;
  stop(): Promise<void>;
}

// A request line, as it starts an HTTP/1.1 request on a kept-alive connection.
const requestLine = /^(GET|HEAD|PUT|POST|DELETE) (\S+) HTTP\/1\.1\r\n/;

/**
 * A TCP proxy on 127.0.0.1 in front of an S3 server that delays every chunk by half the round
 * trip in each direction, so a request costs `rttMs` more, as over a real network. It counts
 * connections and requests (by their request lines) for the benchmark tables.
 */
export async function startLatencyProxy(
  target: { port: number },
  rttMs: number,
): Promise<LatencyProxy> {
  let connections = 0;
  let requests: Partial<Record<S3RequestType, number>> = {};
  const sockets = new Set<Socket>();
  const oneWay = rttMs / 2;
  const delayed = (to: Socket) => (chunk: Buffer) => {
    if (oneWay === 0) to.write(chunk);
    else setTimeout(() => to.writable && to.write(chunk), oneWay);
  };

  const server = createServer((client) => {
    connections++;
    const upstream = createConnection({ host: '127.0.0.1', port: target.port });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => {
      const match = requestLine.exec(chunk.subarray(0, 2048).toString('latin1'));
      if (match) {
        const type = classifyRequest(match[1]!, match[2]!);
        requests[type] = (requests[type] ?? 0) + 1;
      }
      delayed(upstream)(chunk);
    });
    upstream.on('data', delayed(client));
    client.on('end', () => setTimeout(() => upstream.end(), oneWay));
    upstream.on('end', () => setTimeout(() => client.end(), oneWay));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy did not bind');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    counts: () => ({ connections, requests: { ...requests } }),
    reset() {
      connections = 0;
      requests = {};
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
