// thresholds.health: the overview's health-score gauge bands (red < warning ≤ amber < healthy ≤ green)
// must fit the 0–100 score in that order; a mistake is a ConfigError naming the path.
import { describe, expect, it } from 'vitest';
import { configError } from '../test/support/config-error.js';
import { defineConfig } from './define-config.js';

const bands = (health: { healthy?: number; warning?: number }) => () => defineConfig({ thresholds: { health } });

describe('thresholds.health', () => {
  it('defaults to 90 healthy, 70 warning, and accepts a team’s own bands up to 100', () => {
    expect(defineConfig().thresholds.health).toEqual({ healthy: 90, warning: 70 });
    expect(bands({ healthy: 100, warning: 1 })().thresholds.health).toEqual({ healthy: 100, warning: 1 });
    expect(bands({ healthy: 95, warning: 80 })().thresholds.health).toEqual({ healthy: 95, warning: 80 });
  });

  it('refuses a warning band at or below 0', () => {
    for (const warning of [0, -5]) {
      const e = configError(bands({ warning, healthy: 90 }));
      expect(e.path).toBe('thresholds.health.warning');
      expect(e.message).toBe(`thresholds.health.warning must be greater than 0 (got ${warning})`);
    }
  });

  it('refuses healthy at or below warning', () => {
    const e = configError(bands({ healthy: 70, warning: 80 }));
    expect(e.path).toBe('thresholds.health.healthy');
    expect(e.message).toBe('thresholds.health.healthy must be greater than thresholds.health.warning (got 70 <= 80)');
    expect(configError(bands({ healthy: 70, warning: 70 })).path).toBe('thresholds.health.healthy');
  });

  it('refuses healthy above 100, the top of the score', () => {
    const e = configError(bands({ healthy: 101 }));
    expect(e.path).toBe('thresholds.health.healthy');
    expect(e.message).toContain('must be at most 100');
  });
});
