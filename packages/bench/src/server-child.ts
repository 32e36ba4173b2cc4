import { type ChildProcess, fork } from 'node:child_process';
import type { ServerCommand } from './server-process.js';

export interface ServerChild {
  readonly port: number;
  readonly endpoint: string;
  send(command: ServerCommand): Promise<void>;
  stop(): Promise<void>;
}

/** Forks `server-process.js` and waits until its S3 server listens on 127.0.0.1. */
export async function startServerChild(): Promise<ServerChild> {
  const child: ChildProcess = fork(new URL('./server-process.js', import.meta.url), {
    stdio: 'inherit',
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (message: { type: string; port: number }) => resolve(message.port));
  });
  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    send(command) {
      return new Promise((resolve) => {
        child.once('message', () => resolve());
        child.send(command);
      });
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
    },
  };
}
