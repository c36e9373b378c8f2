/** Expectation values such as "100000 * multiplier": integer literals and integer params, multiplied. */
import type { ParamSpec } from './schema.js';

/** The integer params an expression names must exist. Returns the problem, if any. */
export function expressionProblems(expr: string, specs: Readonly<Record<string, ParamSpec>>): string | undefined {
  for (const term of expr.split('*').map((t) => t.trim())) {
    if (/^[\d_,]+$/.test(term)) continue;
    const spec = Object.hasOwn(specs, term) ? specs[term] : undefined;
    if (!spec) return `'${term}' is neither a number nor a param`;
    if (spec.type !== 'integer') return `param '${term}' is not an integer`;
  }
  return undefined;
}

export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && /^[\w\s,*]+$/.test(value) && /\*/.test(value);
}

