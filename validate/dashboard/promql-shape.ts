/**
 * What the dashboard advice needs from a query's tree beyond checkPromQL's analysis: which
 * functions enclose each selector (a counter outside rate()), and the range windows of
 * rate/irate/increase ($__rate_interval). Only called on expressions checkPromQL found valid.
 */
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';

export interface SelectorShape {
  name: string;
  from: number;
  to: number;
  /** Functions around the selector, innermost first. */
  functions: string[];
}

export interface RangeCallShape {
  fn: string;
  /** The window inside `[...]`. */
  from: number;
  to: number;
}

export interface PromQLShape {
  selectors: SelectorShape[];
  rangeCalls: RangeCallShape[];
}

const RATE_FUNCTIONS = new Set(['rate', 'irate', 'increase']);

function functionName(expr: string, call: SyntaxNode): string | undefined {
  const ident = call.getChild('FunctionIdentifier');
  return ident ? expr.slice(ident.from, ident.to) : undefined;
}

function enclosing(expr: string, node: SyntaxNode): string[] {
  const names: string[] = [];
  for (let p = node.parent; p; p = p.parent) {
    const n = p.name === 'FunctionCall' ? functionName(expr, p) : undefined;
    if (n) names.push(n);
  }
  return names;
}

export function promqlShape(expr: string, names: ReadonlyMap<number, string>): PromQLShape {
  const shape: PromQLShape = { selectors: [], rangeCalls: [] };
  parser.parse(expr).iterate({
    enter(ref) {
      if (ref.name === 'FunctionCall') {
        const fn = functionName(expr, ref.node);
        if (!fn || !RATE_FUNCTIONS.has(fn)) return;
        const body = ref.node.getChild('FunctionCallBody');
        const arg = body?.getChild('MatrixSelector') ?? body?.getChild('SubqueryExpr');
        const window = arg?.getChild('DurationExpr');
        if (window) shape.rangeCalls.push({ fn, from: window.from, to: window.to });
        return;
      }
      if (ref.name !== 'VectorSelector') return;
      // The name as checkPromQL resolved it (`{__name__="x"}` included), by the selector's start.
      const name = names.get(ref.from);
      if (name) shape.selectors.push({ name, from: ref.from, to: ref.to, functions: enclosing(expr, ref.node) });
    },
  });
  return shape;
}
