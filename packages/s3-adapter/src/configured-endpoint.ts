import { InvalidArgumentError } from '@deltaglider/core';
import { getProfileName, loadSharedConfigFiles } from '@smithy/core/config';

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The S3 endpoint the AWS configuration names, as the AWS CLI (2.13 and later) and the SDKs
 * read it when no `--endpoint-url` is given: `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`, the
 * `s3` entry of the `[services NAME]` section the profile points to, then the profile's own
 * `endpoint_url`. `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` (or the profile's
 * `ignore_configured_endpoint_urls = true`) ignores them all. None: AWS itself.
 *
 * A profile named (`--profile`, `AWS_PROFILE`) that neither `~/.aws/config` nor
 * `~/.aws/credentials` holds is refused here, before any request: the SDK would otherwise go
 * on to AWS with whatever credentials it finds.
 */
export async function configuredEndpoint(
  profile: string | undefined,
  env: Environment = process.env,
): Promise<string | undefined> {
  const named = profile ?? env.AWS_PROFILE;
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  const name = getProfileName(named === undefined ? {} : { profile: named });
  const section = configFile[name];
  if (named !== undefined && section === undefined && credentialsFile[name] === undefined)
    throw new InvalidArgumentError(
      `profile '${named}' not found in ${env.AWS_CONFIG_FILE ?? '~/.aws/config'}`,
    );
  if (isTrue(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? section?.ignore_configured_endpoint_urls))
    return undefined;
  const fromEnvironment = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL;
  if (fromEnvironment) return fromEnvironment;
  const services = section?.services;
  const fromServices =
    services === undefined ? undefined : configFile[`services.${services}`]?.['s3.endpoint_url'];
  return fromServices || section?.endpoint_url || undefined;
}

const isTrue = (value: string | undefined) => value?.trim().toLowerCase() === 'true';
