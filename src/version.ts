/** The package version, put in at build time (scripts/build.mjs) so no package.json is read at run time. */
declare const __QUOTABAR_VERSION__: string | undefined

export const VERSION: string = typeof __QUOTABAR_VERSION__ === 'string' ? __QUOTABAR_VERSION__ : '0.0.0-dev'
