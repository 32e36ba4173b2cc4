import packageJson from '../package.json' with { type: 'json' };

/** This CLI's own version (`deltaglider --version`), not its SDK's. */
export const CLI_VERSION: string = packageJson.version;
