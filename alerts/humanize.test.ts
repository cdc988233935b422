import { describe, expect, it } from 'vitest';
import { bytes, goG4, humanize, humanizeDuration, humanizePercentage, renderTemplate } from './humanize.js';

// Expected strings are what Prometheus 2.42's template functions print (Go %.4g).
describe('Prometheus template twins', () => {
  it('format like Go %.4g', () => {
    expect(goG4(1.02)).toBe('1.02');
    expect(goG4(4.9)).toBe('4.9');
    expect(goG4(0.00012346)).toBe('0.0001235');
    expect(goG4(12346)).toBe('1.235e+04');
    expect(goG4(100)).toBe('100');
  });
  it('humanize values, percentages and durations', () => {
    expect(humanize(510)).toBe('510');
    expect(humanize(1020)).toBe('1.02k');
    expect(humanize(0.5)).toBe('500m');
    expect(humanizePercentage(0.0102)).toBe('1.02%');
    expect(humanizeDuration(0.51)).toBe('510ms');
    expect(humanizeDuration(1.02)).toBe('1.02s');
    expect(humanizeDuration(306)).toBe('5m 6s');
    expect(humanizeDuration(90061)).toBe('1d 1h 1m 1s');
  });
  it('write byte thresholds in binary units', () => {
    expect(bytes(104857600)).toBe('100 MiB');
    expect(bytes(1536)).toBe('1.5 KiB');
    expect(bytes(0)).toBe('0 B');
    expect(bytes(3 * 2 ** 40)).toBe('3 TiB');
  });
  it('render labels and values, and refuse what they cannot predict', () => {
    expect(renderTemplate('{{ $labels.job }} at {{ $value | humanizePercentage }}', { job: 'vote' }, 0.05)).toBe(
      'vote at 5%',
    );
    expect(() => renderTemplate('{{ $value | humanize }}', {}, null)).toThrow(/not predictable/);
    expect(() => renderTemplate('{{ $value }}', {}, 1)).toThrow(/unsupported/);
  });
});
