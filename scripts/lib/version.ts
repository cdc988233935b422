/** The installed library's version, from its package.json (runtime's packageVersion). */
import { packageVersion as versionOf } from '../../runtime/package-version.js';

export const packageVersion = (from: string = import.meta.dirname): string => versionOf('voting-mixin', from);
