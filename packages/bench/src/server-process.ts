import { startTestS3Server } from '@deltaglider/test-s3-server';
import {
  type CorpusShape,
  corpusEntry,
  corpusFactsSeedObjects,
  corpusSeedObjects,
} from './delta-corpus.js';

// The S3 test server in its own process, so the client under test and the server do not share
// one JavaScript thread (a remote S3 has its own CPUs). The bench drives it over IPC.

export type ServerCommand =
  | { readonly type: 'createBucket'; readonly bucket: string }
  | {
      readonly type: 'seed';
      readonly bucket: string;
      readonly shape: CorpusShape;
      /** Also the proxy's listing-facts entry of every delta. */
      readonly facts?: boolean;
    }
  | {
      readonly type: 'change';
      readonly bucket: string;
      readonly shape: CorpusShape;
      readonly count: number;
    };

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const server = await startTestS3Server();

process.on('message', async (command: ServerCommand) => {
  if (command.type === 'createBucket') {
    await server.createBucket(command.bucket);
  } else if (command.type === 'seed') {
    server.seedObjects(command.bucket, corpusSeedObjects(command.shape));
    if (command.facts) server.seedObjects(command.bucket, corpusFactsSeedObjects(command.shape));
  } else {
    const { shape } = command;
    // Rewrites `count` deltas spread over the deltaspaces: new bytes, so new ETags.
    server.seedObjects(
      command.bucket,
      Array.from({ length: command.count }, (_, index) => {
        const entry = corpusEntry(
          index % shape.deltaspaces,
          1 + Math.floor(index / shape.deltaspaces),
        );
        return {
          key: entry.key,
          body: new Uint8Array(entry.size + 1),
          metadata: { 'dg-file-size': String(entry.originalSize) },
        };
      }),
    );
  }
  process.send?.({ type: 'done' });
});
process.on('disconnect', () => {
  void server.stop().then(() => process.exit(0));
});
process.send?.({ type: 'ready', port: server.port });
