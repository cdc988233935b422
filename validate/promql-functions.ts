/**
 * PromQL function signatures, as Prometheus's parser checks them (promql/parser/functions.go).
 * `variadic`: 0 = exactly args.length, n > 0 = up to n optional trailing args of the last type,
 * -1 = any number of trailing args of the last type.
 */
export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

export interface FunctionSig {
  args: ValueType[];
  variadic: number;
  returns: ValueType;
  /** Minimum args when variadic (defaults to args.length, or args.length - 1 for optional ones). */
  minArgs?: number;
}

const v = 'vector' as const;
const m = 'matrix' as const;
const s = 'scalar' as const;
const str = 'string' as const;
const fixed = (args: ValueType[], returns: ValueType = v): FunctionSig => ({ args, variadic: 0, returns });
const optional = (args: ValueType[], n: number, returns: ValueType = v): FunctionSig => ({
  args,
  variadic: n,
  returns,
  minArgs: args.length - 1,
});

const mathFns = [
  'abs',
  'acos',
  'acosh',
  'asin',
  'asinh',
  'atan',
  'atanh',
  'ceil',
  'cos',
  'cosh',
  'deg',
  'exp',
  'floor',
  'ln',
  'log10',
  'log2',
  'rad',
  'sgn',
  'sin',
  'sinh',
  'sqrt',
  'tan',
  'tanh',
  'sort',
  'sort_desc',
  'timestamp',
  'absent',
  'histogram_count',
  'histogram_sum',
  'histogram_stddev',
  'histogram_stdvar',
  'histogram_avg',
];
const overTime = [
  'avg_over_time',
  'count_over_time',
  'last_over_time',
  'first_over_time',
  'max_over_time',
  'min_over_time',
  'present_over_time',
  'stddev_over_time',
  'stdvar_over_time',
  'sum_over_time',
  'mad_over_time',
  'absent_over_time',
  'changes',
  'resets',
  'delta',
  'deriv',
  'idelta',
  'increase',
  'irate',
  'rate',
  'ts_of_max_over_time',
  'ts_of_min_over_time',
  'ts_of_last_over_time',
  'ts_of_first_over_time',
];
const dateFns = ['day_of_month', 'day_of_week', 'day_of_year', 'days_in_month', 'hour', 'minute', 'month', 'year'];

export const functions: ReadonlyMap<string, FunctionSig> = new Map<string, FunctionSig>([
  ...mathFns.map((n) => [n, fixed([v])] as const),
  ...overTime.map((n) => [n, fixed([m])] as const),
  ...dateFns.map((n) => [n, optional([v], 1)] as const),
  ['clamp', fixed([v, s, s])],
  ['clamp_max', fixed([v, s])],
  ['clamp_min', fixed([v, s])],
  ['histogram_quantile', fixed([s, v])],
  ['histogram_fraction', fixed([s, s, v])],
  ['holt_winters', fixed([m, s, s])],
  ['double_exponential_smoothing', fixed([m, s, s])],
  ['label_replace', fixed([v, str, str, str, str])],
  ['label_join', { args: [v, str, str, str], variadic: -1, returns: v, minArgs: 3 }],
  ['sort_by_label', { args: [v, str], variadic: -1, returns: v, minArgs: 1 }],
  ['sort_by_label_desc', { args: [v, str], variadic: -1, returns: v, minArgs: 1 }],
  ['info', optional([v, v], 1)],
  ['pi', fixed([], s)],
  ['predict_linear', fixed([m, s])],
  ['quantile_over_time', fixed([s, m])],
  ['round', optional([v, s], 1)],
  ['scalar', fixed([v], s)],
  ['time', fixed([], s)],
  ['vector', fixed([s])],
  ['histogram_quantiles', { args: [v, str, s, s], variadic: 9, returns: v, minArgs: 3 }],
  ['integral', optional([m, s], 1)],
]);

/**
 * What Prometheus only accepts with `--enable-feature=promql-experimental-functions`
 * (`Experimental: true` in promql/parser/functions.go, and the `limitk`/`limit_ratio`
 * aggregations); promtool and a server without the flag refuse the expression.
 */
export const experimentalFns: ReadonlySet<string> = new Set([
  'double_exponential_smoothing',
  'first_over_time',
  'histogram_quantiles',
  'info',
  'integral',
  'mad_over_time',
  'sort_by_label',
  'sort_by_label_desc',
  'ts_of_first_over_time',
  'ts_of_last_over_time',
  'ts_of_max_over_time',
  'ts_of_min_over_time',
  'limitk',
  'limit_ratio',
]);

/** Aggregation operators and the type of their leading parameter, if any. */
export const aggregations: ReadonlyMap<string, ValueType | undefined> = new Map<string, ValueType | undefined>([
  ['sum', undefined],
  ['avg', undefined],
  ['count', undefined],
  ['min', undefined],
  ['max', undefined],
  ['group', undefined],
  ['stddev', undefined],
  ['stdvar', undefined],
  ['topk', s],
  ['bottomk', s],
  ['quantile', s],
  ['count_values', str],
  ['limitk', s],
  ['limit_ratio', s],
]);

/** Functions that keep every input label but `__name__`, or that keep all of them. */
export const keepsNameFns: ReadonlySet<string> = new Set([
  'sort',
  'sort_desc',
  'sort_by_label',
  'sort_by_label_desc',
  'last_over_time',
  'first_over_time',
  'label_replace',
  'label_join',
  'info',
]);

/** Functions that turn counters into rates: their input should be a counter. */
export const counterFns: ReadonlySet<string> = new Set(['rate', 'irate', 'increase', 'resets']);

export const typeName: Record<ValueType, string> = {
  scalar: 'scalar',
  vector: 'instant vector',
  matrix: 'range vector',
  string: 'string',
};
