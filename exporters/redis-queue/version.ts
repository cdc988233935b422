/** The exporter's version, from its workspace package.json (runtime's packageVersion). */
import { packageVersion } from 'voting-mixin/runtime';

export const PACKAGE_NAME = '@voting-mixin/redis-queue-exporter';

/** The version of the nearest package.json named PACKAGE_NAME at or above `from`; 'unknown' when there is none. */
export const exporterVersion = (from: string = import.meta.dirname): string => packageVersion(PACKAGE_NAME, from);
