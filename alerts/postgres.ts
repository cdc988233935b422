/** PostgreSQL server alerts (from postgres_exporter). */

import type { MixinConfig } from '../config/mixin-config.js';
import type { AlertSpec } from './alert-spec.js';

export function postgresAlerts(_cfg: MixinConfig): AlertSpec[] {
  return [];
}
