// The scaling policy's semantic checks: each mistake is a ConfigError naming its path.
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-check.js';
import { defineConfig } from './define-config.js';
import type { ConfigOverrides } from './mixin-config.js';

const fails = (over: ConfigOverrides, path: string, text: RegExp) => {
  let err: unknown;
  try {
    defineConfig(over);
  } catch (e) {
    err = e;
  }
  expect(err, path).toBeInstanceOf(ConfigError);
  expect((err as ConfigError).path).toBe(path);
  expect((err as ConfigError).message).toMatch(text);
};

describe('scaling policy checks', () => {
  it('accepts the defaults and a team policy', () => {
    expect(() => defineConfig({})).not.toThrow();
    expect(() =>
      defineConfig({
        scaling: {
          scaleUpThreshold: 0.9,
          scaleDownThreshold: 0.5,
          stabilizationWindow: '90s',
          minWorkers: 3,
          maxWorkers: 3,
        },
      }),
    ).not.toThrow();
  });

  it('refuses thresholds out of order or out of (0, 1)', () => {
    fails({ scaling: { scaleDownThreshold: 0 } }, 'scaling.scaleDownThreshold', /between 0 and 1/);
    fails({ scaling: { scaleUpThreshold: 1 } }, 'scaling.scaleUpThreshold', /between 0 and 1/);
    fails(
      { scaling: { scaleUpThreshold: 0.3, scaleDownThreshold: 0.5 } },
      'scaling.scaleUpThreshold',
      /greater than scaling.scaleDownThreshold/,
    );
    fails({ scaling: { scaleUpThreshold: 0.5, scaleDownThreshold: 0.5 } }, 'scaling.scaleUpThreshold', /greater/);
  });

  it('refuses worker counts that are not whole, below 1, or max below min', () => {
    fails({ scaling: { minWorkers: 0 } }, 'scaling.minWorkers', /whole number of at least 1/);
    fails({ scaling: { minWorkers: 1.5 } }, 'scaling.minWorkers', /whole number/);
    fails(
      { scaling: { minWorkers: 4, maxWorkers: 3 } },
      'scaling.maxWorkers',
      /at least scaling.minWorkers \(got 3 < 4\)/,
    );
  });

  it('refuses a stabilisation window that is no duration or zero', () => {
    fails(
      { scaling: { stabilizationWindow: '5 minutes' as never } },
      'scaling.stabilizationWindow',
      /Prometheus duration/,
    );
    fails({ scaling: { stabilizationWindow: '0s' } }, 'scaling.stabilizationWindow', /longer than 0/);
  });

  it('refuses Kubernetes names the API server would', () => {
    fails({ kubernetes: { workerDeployment: 'Worker' } }, 'kubernetes.workerDeployment', /Kubernetes object name/);
    fails({ kubernetes: { workerNamespace: 'prod.eu' } }, 'kubernetes.workerNamespace', /Kubernetes namespace/);
    fails({ kubernetes: { prometheusUrl: 'not a url' } }, 'kubernetes.prometheusUrl', /absolute URL/);
  });
});
