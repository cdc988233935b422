/** `defineConfig`: defaults + overrides, then the semantic checks (kept apart from the types so config-check can import them without a cycle). */
import { checkConfig } from './config-check.js';
import { type ConfigOverrides, type MixinConfig, mergeConfig } from './mixin-config.js';

/**
 * The config for your environment: defaults with your overrides merged in, checked.
 *
 * @example defineConfig({ selectors: { vote: { job: 'vote-prod' } }, queues: [{ name: 'votes', key: 'votes', critical: 800 }] })
 * @throws ConfigError naming the config path of the first problem.
 */
export function defineConfig(overrides: ConfigOverrides = {}): MixinConfig {
  const cfg = mergeConfig(overrides);
  checkConfig(cfg);
  return cfg;
}
