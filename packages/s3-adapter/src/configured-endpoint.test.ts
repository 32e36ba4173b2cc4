import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configuredEndpoint } from './configured-endpoint.js';

// The AWS CLI's documented order ("Service-specific endpoints"), read from real files.

let home: string;
let env: Record<string, string>;
const saved = {
  config: process.env.AWS_CONFIG_FILE,
  credentials: process.env.AWS_SHARED_CREDENTIALS_FILE,
};

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'dg-aws-config-'));
  const config = join(home, 'config');
  await writeFile(
    config,
    [
      '[default]',
      'region = eu-west-1',
      '[profile local]',
      'endpoint_url = http://127.0.0.1:9000',
      '[profile both]',
      'endpoint_url = http://127.0.0.1:9000',
      'services = local-services',
      '[profile ignoring]',
      'endpoint_url = http://127.0.0.1:9000',
      'ignore_configured_endpoint_urls = true',
      '[services local-services]',
      'dynamodb =',
      '  endpoint_url = http://127.0.0.1:8000',
      's3 =',
      '  endpoint_url = http://127.0.0.1:9001',
      '',
    ].join('\n'),
  );
  const credentials = join(home, 'credentials');
  await writeFile(credentials, '[keys-only]\naws_access_key_id = a\naws_secret_access_key = b\n');
  // The SDK's loader reads the files these name.
  process.env.AWS_CONFIG_FILE = config;
  process.env.AWS_SHARED_CREDENTIALS_FILE = credentials;
  env = { AWS_CONFIG_FILE: config };
});
afterAll(async () => {
  for (const [name, value] of [
    ['AWS_CONFIG_FILE', saved.config],
    ['AWS_SHARED_CREDENTIALS_FILE', saved.credentials],
  ] as const)
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  await rm(home, { recursive: true, force: true });
});

describe('configuredEndpoint', () => {
  it("takes the profile's endpoint_url", async () => {
    expect(await configuredEndpoint('local', env)).toBe('http://127.0.0.1:9000');
  });

  it("prefers the s3 entry of the profile's [services] section", async () => {
    expect(await configuredEndpoint('both', env)).toBe('http://127.0.0.1:9001');
  });

  it('prefers AWS_ENDPOINT_URL_S3, then AWS_ENDPOINT_URL, to the files', async () => {
    expect(
      await configuredEndpoint('both', {
        ...env,
        AWS_ENDPOINT_URL: 'http://general:1',
        AWS_ENDPOINT_URL_S3: 'http://s3-only:2',
      }),
    ).toBe('http://s3-only:2');
    expect(await configuredEndpoint('both', { ...env, AWS_ENDPOINT_URL: 'http://general:1' })).toBe(
      'http://general:1',
    );
  });

  it('ignores them all when told to, by the environment or by the profile', async () => {
    const ignoring = {
      ...env,
      AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
      AWS_ENDPOINT_URL_S3: 'http://s3-only:2',
    };
    expect(await configuredEndpoint('both', ignoring)).toBeUndefined();
    expect(await configuredEndpoint('ignoring', env)).toBeUndefined();
  });

  it('names none for a profile without one, or for no profile: AWS itself', async () => {
    expect(await configuredEndpoint(undefined, env)).toBeUndefined();
    expect(await configuredEndpoint('keys-only', env)).toBeUndefined();
  });

  it('reads AWS_PROFILE when no profile is given', async () => {
    expect(await configuredEndpoint(undefined, { ...env, AWS_PROFILE: 'local' })).toBe(
      'http://127.0.0.1:9000',
    );
  });

  it('refuses a profile neither file holds, naming it and the file', async () => {
    await expect(configuredEndpoint('loacl', env)).rejects.toThrow(
      `profile 'loacl' not found in ${env.AWS_CONFIG_FILE}`,
    );
  });
});
