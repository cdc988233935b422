// Placeholder until the rules land (issue 5): produces nothing, checks nothing.
import type { MixinConfig } from '../config/mixin-config.js';
import type { Finding } from '../validate/finding.js';

export function alertArtifacts(_cfg: MixinConfig): Map<string, string> {
  return new Map();
}

export function checkAlertArtifacts(_files: ReadonlyMap<string, string>, _cfg: MixinConfig): Finding[] {
  return [];
}
