/**
 * `voting-mixin/runtime`: what every program of this project shares at run time — the CLI, the
 * queue exporter and the reference app: flags and environment variables, durations, redaction of
 * secrets, entry-point detection, secret files and config loading. No prom-client here (see
 * `voting-mixin/instrument`).
 */
export { durationSeconds, parseDuration, parseFlagDuration } from './duration.js';
export { isEntryPoint, type RunOptions, runMain } from './entry-point.js';
export { UsageError } from './errors.js';
export {
  type FlagKind,
  type FlagSpec,
  type FlagSpecs,
  type FlagValues,
  flagName,
  flagTable,
  LOG_LEVELS,
  logLevelFlag,
  type ParsedFlags,
  type ParseOptions,
  parseFlags,
} from './flags.js';
export { CONFIG_CANDIDATES, type LoadedConfig, loadConfig } from './load-config.js';
export { packageVersion } from './package-version.js';
export { type Program, type ProgramIO, parseProgramFlags, programHelp, runProgram } from './program.js';
export { MASK, maskUrls, redactSecrets, redactUrl, replaceSecrets, secretForms } from './redact.js';
export { readSecretFile } from './secret-file.js';
