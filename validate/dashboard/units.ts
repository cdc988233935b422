/**
 * Grafana unit ids a panel may use (the `fieldConfig.defaults.unit` values of Grafana's unit
 * picker, the common families), plus the custom-unit prefixes Grafana understands.
 */
export const GRAFANA_UNITS: ReadonlySet<string> = new Set([
  'none', 'short', 'percent', 'percentunit', 'humidity', 'dB', 'hex0x', 'hex', 'sci', 'locale', 'pixel', 'bool',
  'bool_yes_no', 'bool_on_off', 'string',
  // time
  'hertz', 'ns', 'µs', 'ms', 's', 'm', 'h', 'd', 'dtdurationms', 'dtdurations', 'dthms', 'dtdhms', 'timeticks', 'clockms', 'clocks',
  'dateTimeAsIso', 'dateTimeAsIsoNoDateIfToday', 'dateTimeAsUS', 'dateTimeAsUSNoDateIfToday', 'dateTimeAsLocal',
  'dateTimeAsLocalNoDateIfToday', 'dateTimeAsSystem', 'dateTimeFromNow',
  // data
  'bits', 'bytes', 'kbytes', 'mbytes', 'gbytes', 'tbytes', 'pbytes', 'decbits', 'decbytes', 'deckbytes', 'decmbytes', 'decgbytes',
  'dectbytes', 'decpbytes',
  // data rate
  'pps', 'binBps', 'Bps', 'binbps', 'bps', 'KiBs', 'Kibits', 'KBs', 'Kbits', 'MiBs', 'Mibits', 'MBs', 'Mbits', 'GiBs', 'Gibits',
  'GBs', 'Gbits', 'TiBs', 'Tibits', 'TBs', 'Tbits',
  // throughput
  'cps', 'ops', 'reqps', 'rps', 'wps', 'iops', 'eps', 'mps', 'recps', 'rowsps', 'cpm', 'opm', 'reqpm', 'rpm', 'wpm', 'epm', 'mpm',
  'recpm', 'rowspm',
  // misc
  'percentunit', 'ppm', 'watt', 'kwatt', 'celsius', 'fahrenheit', 'currencyUSD', 'currencyEUR',
]);

const CUSTOM_PREFIXES = ['suffix:', 'prefix:', 'si:', 'count:', 'currency:', 'time:', 'bool:'];

export function isKnownUnit(unit: string): boolean {
  return GRAFANA_UNITS.has(unit) || CUSTOM_PREFIXES.some((p) => unit.startsWith(p));
}
