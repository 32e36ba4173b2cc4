import { describe, expect, it } from 'vitest';
import { buildClient } from './build-client.js';
import type { CliIo } from './cli-io.js';

const io: CliIo = { stdout: { write: () => true }, stderr: { write: () => true }, env: {} };

describe('buildClient', () => {
  it('sends conditional writes to every endpoint (enforcement is probed) unless --no-conditional-put', () => {
    const custom = 'http://127.0.0.1:9';
    const conditional = (argv: Parameters<typeof buildClient>[0]) =>
      buildClient(argv, io).store.capabilities.conditionalPut;
    expect(conditional({})).toBe(true);
    expect(conditional({ 'conditional-put': false })).toBe(false);
    expect(conditional({ 'endpoint-url': custom })).toBe(true);
    expect(conditional({ 'endpoint-url': custom, 'conditional-put': false })).toBe(false);
  });
});
