/** Typed params: defaults, per-engine overrides, then --param KEY=VALUE, each checked by type. */
import type { EngineKind } from '../engine/types.js';
import { UsageError } from './errors.js';
import { IDENTIFIER } from './patterns.js';
import type { ParamSpec } from './schema.js';
import type { ParamValue } from './sql.js';

/** Checks one value against its spec; returns the typed value or a sentence saying what is wrong. */
export function checkParamValue(spec: ParamSpec, raw: string | number): { value: ParamValue } | { error: string } {
  switch (spec.type) {
    case 'integer': {
      const text = String(raw).replace(/_/g, '');
      if (!/^-?\d+$/.test(text)) return { error: `expected an integer, got '${raw}'` };
      const value = Number(text);
      if (!Number.isSafeInteger(value)) return { error: `'${raw}' is too large` };
      if (spec.min !== undefined && value < spec.min) return { error: `must be at least ${spec.min}, got ${value}` };
      if (spec.max !== undefined && value > spec.max) return { error: `must be at most ${spec.max}, got ${value}` };
      return { value };
    }
    case 'identifier': {
      const value = String(raw);
      if (!IDENTIFIER.test(value)) {
        return { error: `expected an SQL identifier (letters, digits, _ and $, not starting with a digit), got '${value}'` };
      }
      return { value };
    }
    case 'enum': {
      const value = String(raw);
      if (!spec.values.includes(value)) return { error: `expected one of ${spec.values.join(', ')}, got '${value}'` };
      return { value };
    }
  }
}

/** Parses repeated `--param KEY=VALUE` flags. Keys are kept as given (even `__proto__`) for resolveParams to judge. */
export function parseParamFlags(flags: readonly string[]): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param ${flag}: expected KEY=VALUE, e.g. --param multiplier=10`);
    out[flag.slice(0, eq).trim()] = flag.slice(eq + 1).trim();
  }
  return out;
}

/** The values the SQL of one run is rendered with: default, then the engine's, then the command line's. */
export function resolveParams(
  specs: Readonly<Record<string, ParamSpec>>,
  engine: EngineKind,
  overrides: Readonly<Record<string, string>> = {},
): Record<string, ParamValue> {
  const values: Record<string, ParamValue> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const chosen = spec.engines?.[engine] ?? spec.default;
    const checked = checkParamValue(spec, chosen);
    // The loader already rejected bad defaults and overrides with their positions.
    if ('value' in checked) values[name] = checked.value;
  }
  for (const [name, raw] of Object.entries(overrides)) {
    // Own keys only: `constructor` or `toString` are not params, whatever Object.prototype says.
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (!spec) {
      const known = Object.keys(specs).join(', ') || 'none';
      throw new UsageError(`--param ${name}=${raw}: unknown param '${name}' (this runbook has: ${known})`);
    }
    const checked = checkParamValue(spec, raw);
    if ('error' in checked) throw new UsageError(`--param ${name}=${raw}: ${checked.error}`);
    values[name] = checked.value;
  }
  return values;
}
