/**
 * Snowflake's NUMBER arithmetic, as a model that runs SQL text: a parser for the small expression
 * language of a SQL function body (integer and decimal literals, arguments, + - * /, MOD, FLOOR,
 * CAST, CASE, comparisons, ||, calls to the other functions of the file) and a compiler that turns
 * each function into a JavaScript function over safe integers, applying Snowflake's rules:
 *
 * - a NUMBER(p, s) value is an integer mantissa m with a static scale s (value m / 10^s);
 * - a / b has the scale max(s1, min(s1 + 6, 12)) and is rounded half away from zero;
 * - a * b has the scale s1 + s2 (at most max(s1, s2, 12), rounded); + and - the larger scale;
 * - MOD(a, b) has the larger scale and the sign of a; FLOOR gives scale 0;
 * - CAST to an integer type, and a function's NUMBER argument or result, rounds to scale 0;
 * - CAST of a number to VARCHAR writes it with its scale (5.000000), so only scale 0 gives digits.
 *
 * DuckDB's / is floating point and its integer CAST rounds too, so it cannot show any of this: the
 * model is what stands in for Snowflake here. Any intermediate value beyond 2^53 throws, rather
 * than being silently rounded (MOD(a * b, m) is computed exactly however large a * b is).
 *
 * Strings are digit strings only (the model checks NHS numbers): packed as value * 16 + length;
 * anything that would not be all digits (a sign, a decimal point) is NaN.
 */
import { translate, type FunctionParam } from '../../src/engine/local/dialect.js';
import { splitStatements } from '../../src/runbook/sql.js';
// Plain JavaScript, so that worker threads can load it as it is.
import { helpers, instantiate, POW10 } from './snowflake-helpers.mjs';

type SfType = { kind: 'number'; scale: number } | { kind: 'varchar'; length?: number } | { kind: 'boolean' };

type Node =
  | { t: 'num'; mantissa: number; scale: number }
  | { t: 'id'; name: string }
  | { t: 'call'; name: string; args: Node[] }
  | { t: 'bin'; op: string; left: Node; right: Node }
  | { t: 'neg'; operand: Node }
  | { t: 'not'; operand: Node }
  | { t: 'cast'; operand: Node; to: string }
  | { t: 'case'; whens: Array<[Node, Node]>; otherwise?: Node };

export interface SqlFunction {
  name: string;
  params: FunctionParam[];
  returns: string;
  body: Node;
}

// --- parsing -------------------------------------------------------------------------------------

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)*)|(\|\||>=|<=|<>|!=|[-+*/(),=<>]))/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (text.slice(at).trim()) {
    const m = TOKEN.exec(text);
    if (!m) throw new Error(`cannot read the expression at: ${text.slice(at, at + 30)}`);
    tokens.push(m[1] ?? m[2] ?? m[3]!);
    at = TOKEN.lastIndex;
  }
  return tokens;
}

export function parseExpression(text: string): Node {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i]?.toUpperCase();
  const take = (expected?: string) => {
    const token = tokens[i++];
    if (token === undefined || (expected && token.toUpperCase() !== expected)) throw new Error(`expected ${expected ?? 'more'}, got ${token ?? 'the end'} in: ${text}`);
    return token;
  };
  const binary = (next: () => Node, ops: string[]) => (): Node => {
    let left = next();
    while (ops.includes(peek() ?? '')) {
      const op = take().toUpperCase();
      left = { t: 'bin', op, left, right: next() };
    }
    return left;
  };
  const primary = (): Node => {
    const token = take();
    const upper = token.toUpperCase();
    if (/^\d/.test(token)) {
      const [whole, fraction = ''] = token.split('.');
      return { t: 'num', mantissa: Number(whole + fraction), scale: fraction.length };
    }
    if (token === '(') {
      const inner = expression();
      take(')');
      return inner;
    }
    if (upper === 'CAST') {
      take('(');
      const operand = expression();
      take('AS');
      let to = take().toUpperCase();
      if (peek() === '(') {
        to += take();
        while (peek() !== ')') to += take();
        to += take();
      }
      take(')');
      return { t: 'cast', operand, to };
    }
    if (upper === 'CASE') {
      const whens: Array<[Node, Node]> = [];
      while (peek() === 'WHEN') {
        take();
        const condition = expression();
        take('THEN');
        whens.push([condition, expression()]);
      }
      let otherwise: Node | undefined;
      if (peek() === 'ELSE') {
        take();
        otherwise = expression();
      }
      take('END');
      return { t: 'case', whens, otherwise };
    }
    if (peek() === '(') {
      take();
      const args: Node[] = [];
      while (peek() !== ')') {
        args.push(expression());
        if (peek() === ',') take();
      }
      take(')');
      return { t: 'call', name: upper, args };
    }
    return { t: 'id', name: upper };
  };
  const unary = (): Node => (peek() === '-' ? (take(), { t: 'neg', operand: unary() }) : primary());
  const product = binary(unary, ['*', '/']);
  const sum = binary(product, ['+', '-']);
  const concat = binary(sum, ['||']);
  const comparison = binary(concat, ['=', '<>', '!=', '<', '<=', '>', '>=']);
  const negation = (): Node => (peek() === 'NOT' ? (take(), { t: 'not', operand: negation() }) : comparison());
  const conjunction = binary(negation, ['AND']);
  const expression = binary(conjunction, ['OR']);
  const node = expression();
  if (i < tokens.length) throw new Error(`unexpected ${tokens[i]} in: ${text}`);
  return node;
}

/** The SQL functions a file creates, read the way the local engine reads them. */
export function readFunctions(sql: string): Map<string, SqlFunction> {
  const functions = new Map<string, SqlFunction>();
  for (const statement of splitStatements(sql)) {
    const action = translate(statement.sql);
    if (action.kind !== 'create-function') throw new Error(`not a CREATE FUNCTION: ${statement.sql.slice(0, 60)}`);
    functions.set(action.name, { name: action.name, params: action.params, returns: action.returns, body: parseExpression(action.body) });
  }
  return functions;
}

// --- types ---------------------------------------------------------------------------------------

function declaredType(text: string): SfType {
  const t = /^([A-Z_]+)(?:\((\d+)(?:,(\d+))?\))?$/.exec(text.replace(/\s+/g, '').toUpperCase());
  if (!t) throw new Error(`unknown type ${text}`);
  const [, base, first, second] = t;
  if (['NUMBER', 'NUMERIC', 'DECIMAL', 'INT', 'INTEGER', 'BIGINT', 'SMALLINT'].includes(base!)) return { kind: 'number', scale: Number(second ?? 0) };
  if (['VARCHAR', 'STRING', 'TEXT'].includes(base!)) return { kind: 'varchar', length: first === undefined ? undefined : Number(first) };
  if (base === 'BOOLEAN') return { kind: 'boolean' };
  throw new Error(`type ${text} is not modelled`);
}

// --- compiling -----------------------------------------------------------------------------------

/** A compiled value: its code, its type and, for numbers, bounds on its mantissa. */
interface Compiled {
  js: string;
  type: SfType;
  lo: number;
  hi: number;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const INT32 = 2 ** 31 - 1;
const UNKNOWN = { lo: -Infinity, hi: Infinity };

const HELPERS = `const { imod, safe, divRound, divRoundPos, floorDiv, mulMod, text, concat, fitText } = h;`;

function isInt32(c: { lo: number; hi: number }): boolean {
  return c.lo >= -INT32 && c.hi <= INT32;
}

function isSafe(c: { lo: number; hi: number }): boolean {
  return c.lo >= -MAX_SAFE && c.hi <= MAX_SAFE;
}

/** The code of an integer result with bounds lo..hi: checked at run time unless provably safe. */
function checked(js: string, lo: number, hi: number): { js: string; lo: number; hi: number } {
  return { js: isSafe({ lo, hi }) ? js : `safe(${js})`, lo: Math.max(lo, -MAX_SAFE), hi: Math.min(hi, MAX_SAFE) };
}

/** Bounds of f(x, y) for x and y within bounds, f monotonic in each (a product, a quotient). */
function corners(a: { lo: number; hi: number }, b: { lo: number; hi: number }, f: (x: number, y: number) => number) {
  const values = [f(a.lo, b.lo), f(a.lo, b.hi), f(a.hi, b.lo), f(a.hi, b.hi)];
  if (values.some(Number.isNaN)) return UNKNOWN;
  return { lo: Math.min(...values), hi: Math.max(...values) };
}

type Bounds = Array<{ lo: number; hi: number }>;
/** Runs a one-argument function for every argument in from..to - 1, handing each result to visit. */
export type Loop = (from: number, to: number, visit: (argument: number, result: number) => void) => void;

class Compiler {
  private readonly names = new Map<string, number>();
  /** Bounds of each function's arguments, the union over the calls compiled so far. */
  private readonly argBounds = new Map<string, Bounds>();
  /** Bounds of each called function's result, from the previous round (unknown in the first). */
  private readonly returnBounds = new Map<string, { lo: number; hi: number }>();
  /** Subexpressions already computed in the function body being compiled, by their code. */
  private temps = new Map<string, string>();
  private tempDecls: string[] = [];

  constructor(private readonly functions: Map<string, SqlFunction>) {
    [...functions.keys()].forEach((name, i) => this.names.set(name, i));
  }

  /**
   * The entry as a JS function, and every function of one argument it reaches as another, which
   * remembers its last call (argument and result, in a Float64Array: nothing is allocated):
   * NHS_STEM_WEIGHTED_SUM is called with the same stem for nine slots in a row. Functions of more
   * arguments are inlined where they are called, as Snowflake inlines SQL functions. Callers are
   * compiled before callees, so that each function knows the bounds of its arguments; a second
   * round uses the bounds of the results found in the first.
   */
  /** The code, for `instantiate` (snowflake-helpers.mjs), here or in a worker thread. */
  build(entry: string, bounds: Bounds): string {
    let code = '';
    for (let round = 0; round < 2; round++) {
      this.argBounds.clear();
      this.argBounds.set(entry, bounds);
      const out: string[] = [HELPERS];
      for (const name of this.callersFirst(entry).filter((n) => n === entry || this.functions.get(n)!.params.length === 1)) {
        const fn = this.functions.get(name)!;
        const i = this.names.get(name)!;
        this.freshTemps();
        const args = fn.params.map((_, k) => `a${k}`);
        const known = this.argBounds.get(name) ?? fn.params.map(() => UNKNOWN);
        const env = new Map<string, Compiled>(fn.params.map((p, k) => [p.name, { js: args[k]!, type: this.argumentType(p), ...known[k]! }]));
        const body = this.convert(this.expr(fn.body, env), declaredType(fn.returns));
        this.returnBounds.set(name, { lo: body.lo, hi: body.hi });
        const n = fn.params.length;
        const same = args.map((a, k) => `${a} === m${i}[${k}]`).join(' && ');
        out.push(`const m${i} = new Float64Array(${n + 1}).fill(NaN);`);
        out.push(
          `function f${i}(${args.join(', ')}) { if (${same}) return m${i}[${n}]; ${args.map((a, k) => `m${i}[${k}] = ${a};`).join(' ')} ` +
            `${this.tempDecls.join(' ')} return (m${i}[${n}] = ${body.js}); }`,
        );
        // For a function of one argument: its body in a loop over a range of that argument, each
        // value handed to `visit` (one call per value, with nothing in between to allocate).
        if (name === entry && n === 1) {
          out.push(`function loop(from, to, visit) { for (let a0 = from; a0 < to; a0++) { ${this.tempDecls.join(' ')} visit(a0, ${body.js}); } }`);
        }
      }
      const entryFn = `f${this.names.get(entry)}`;
      code = `${out.join('\n')}\nreturn { call: ${entryFn}, loop: typeof loop === 'function' ? loop : undefined };`;
    }
    return code;
  }

  private argumentType(p: FunctionParam): SfType {
    const type = declaredType(p.type);
    if (type.kind !== 'number' || type.scale !== 0) throw new Error(`argument ${p.name}: only NUMBER arguments are modelled`);
    return type;
  }

  /** Compiles one integer expression of named arguments on its own, with the arguments' bounds. */
  expression(node: Node, params: string[], bounds: Bounds): (...args: number[]) => number {
    this.freshTemps();
    const env = new Map<string, Compiled>(params.map((p, k) => [p, { js: `a${k}`, type: { kind: 'number', scale: 0 } as SfType, ...bounds[k]! }]));
    const compiled = this.expr(node, env);
    if (compiled.type.kind !== 'number' || compiled.type.scale !== 0) throw new Error('only integer expressions are compiled alone');
    const code = `${HELPERS}\nreturn (${params.map((_, k) => `a${k}`).join(', ')}) => { ${this.tempDecls.join(' ')} return ${compiled.js}; };`;
    return instantiate(code) as (...args: number[]) => number;
  }

  /** The entry and every function it reaches, each after all the functions that call it. */
  private callersFirst(entry: string): string[] {
    const calls = (node: Node, into: Set<string>): void => {
      if (node.t === 'call') {
        if (this.functions.has(node.name)) into.add(node.name);
        node.args.forEach((a) => calls(a, into));
      } else if (node.t === 'bin') {
        calls(node.left, into);
        calls(node.right, into);
      } else if (node.t === 'neg' || node.t === 'not' || node.t === 'cast') calls(node.operand, into);
      else if (node.t === 'case') {
        node.whens.forEach(([c, v]) => (calls(c, into), calls(v, into)));
        if (node.otherwise) calls(node.otherwise, into);
      }
    };
    const done: string[] = [];
    const visit = (name: string, seen: Set<string>) => {
      if (seen.has(name)) throw new Error(`${name} calls itself`);
      if (done.includes(name)) return;
      const callees = new Set<string>();
      calls(this.functions.get(name)!.body, callees);
      for (const callee of callees) visit(callee, new Set([...seen, name]));
      done.push(name);
    };
    visit(entry, new Set());
    return done.reverse();
  }

  private freshTemps(): void {
    this.temps = new Map();
    this.tempDecls = [];
  }

  private temp(js: string): string {
    if (/^(a\d+|t\d+|-?\d+|NaN)$/.test(js)) return js;
    let name = this.temps.get(js);
    if (!name) {
      name = `t${this.temps.size}`;
      this.temps.set(js, name);
      this.tempDecls.push(`const ${name} = ${js};`);
    }
    return name;
  }

  /** Converts to a declared type, as Snowflake does for a function's arguments and result. */
  private convert(value: Compiled, to: SfType): Compiled {
    if (to.kind === 'number') {
      if (value.type.kind !== 'number') throw new Error('a text where a NUMBER is declared is not modelled');
      return this.toScale(value as NumberValue, to.scale);
    }
    if (to.kind === 'varchar') {
      // For text, lo..hi bound its length: a check is needed only where it may not fit.
      const textValue = value.type.kind === 'varchar' ? value : this.toText(value);
      const fits = to.length === undefined || textValue.hi <= to.length;
      return { ...textValue, js: fits ? textValue.js : `fitText(${textValue.js}, ${to.length})`, type: to };
    }
    throw new Error('BOOLEAN results are not modelled');
  }

  private toText(value: Compiled): Compiled {
    if (value.type.kind !== 'number') throw new Error('only numbers are cast to text');
    // A scale above 0 is written with a decimal point, a negative number with a sign: not digits.
    if (value.type.scale !== 0 || value.hi < 0) return { js: 'NaN', type: { kind: 'varchar' }, lo: 0, hi: 0 };
    const digits = (m: number) => (m < 10 ? 1 : Math.floor(Math.log10(m)) + 1);
    const lo = digits(Math.max(value.lo, 0));
    const hi = value.hi === Infinity ? 16 : digits(value.hi);
    // Its length known from its bounds, a non-negative number is written without counting digits.
    const js = value.lo >= 0 && lo === hi ? `(${value.js} * 16 + ${lo})` : `text(${value.js})`;
    return { js, type: { kind: 'varchar' }, lo, hi };
  }

  /** a || b; with b's length known, without unpacking a (see helpers.concat). */
  private concat(a: Compiled, b: Compiled): Compiled {
    const lo = a.lo + b.lo;
    const hi = a.hi + b.hi;
    if (b.lo === b.hi && hi <= 14) {
      return { js: `((${a.js} - (${a.js} - Math.floor(${a.js} / 16) * 16)) * ${POW10[b.lo]} + ${b.js} + (${a.js} - Math.floor(${a.js} / 16) * 16))`, type: { kind: 'varchar' }, lo, hi };
    }
    return { js: `concat(${a.js}, ${b.js})`, type: { kind: 'varchar' }, lo, hi };
  }

  /** To another scale: up exactly, down rounded half away from zero (a cast to NUMBER(p, s)). */
  private toScale(value: NumberValue, scale: number): NumberValue {
    const from = value.type.scale;
    const type = { kind: 'number' as const, scale };
    if (scale === from) return value;
    if (scale > from) {
      const p = POW10[scale - from]!;
      if (/^-?\d+$/.test(value.js)) return { js: String(helpers.safe(Number(value.js) * p)), type, lo: value.lo * p, hi: value.hi * p };
      return { ...checked(`${value.js} * ${p}`, value.lo * p, value.hi * p), type };
    }
    const p = POW10[from - scale]!;
    const js = value.lo >= 0 ? `divRoundPos(${value.js}, ${p})` : `divRound(${value.js}, ${p})`;
    return { js, type, lo: Math.floor(value.lo / p), hi: Math.ceil(value.hi / p) };
  }

  private number(node: Node, env: Map<string, Compiled>): NumberValue {
    const value = this.expr(node, env);
    if (value.type.kind !== 'number') throw new Error('a number was expected');
    return value as NumberValue;
  }

  /**
   * Every subexpression becomes a constant of the function body, computed once however often it
   * is written (the ninth digit is written twice in NHS_NUMBER_FROM_STEM). Branches of a CASE are
   * computed eagerly: the model's expressions have no side effects.
   */
  private expr(node: Node, env: Map<string, Compiled>): Compiled {
    const compiled = this.exprInPlace(node, env);
    return { ...compiled, js: this.temp(compiled.js) };
  }

  private exprInPlace(node: Node, env: Map<string, Compiled>): Compiled {
    switch (node.t) {
      case 'num':
        return { js: String(node.mantissa), type: { kind: 'number', scale: node.scale }, lo: node.mantissa, hi: node.mantissa };
      case 'id': {
        const found = env.get(node.name);
        if (!found) throw new Error(`unknown name ${node.name}`);
        return found;
      }
      case 'neg': {
        const value = this.number(node.operand, env);
        return { js: `(-${value.js})`, type: value.type, lo: -value.hi, hi: -value.lo };
      }
      case 'not':
        return { js: `(!${this.expr(node.operand, env).js})`, type: { kind: 'boolean' }, ...UNKNOWN };
      case 'cast': {
        const to = declaredType(node.to);
        return this.convert(this.expr(node.operand, env), to);
      }
      case 'case': {
        const branches = [...node.whens.map(([, v]) => v), ...(node.otherwise ? [node.otherwise] : [])].map((v) => this.number(v, env));
        const scale = Math.max(...branches.map((b) => b.type.scale));
        const scaled = branches.map((b) => this.toScale(b, scale));
        let js = node.otherwise ? scaled.at(-1)!.js : 'NaN';
        for (let k = node.whens.length - 1; k >= 0; k--) js = `(${this.expr(node.whens[k]![0], env).js} ? ${scaled[k]!.js} : ${js})`;
        return { js, type: { kind: 'number', scale }, lo: Math.min(...scaled.map((b) => b.lo)), hi: Math.max(...scaled.map((b) => b.hi)) };
      }
      case 'call':
        return this.call(node, env);
      case 'bin':
        return this.binary(node, env);
    }
  }

  private call(node: Extract<Node, { t: 'call' }>, env: Map<string, Compiled>): Compiled {
    if (node.name === 'MOD') {
      const [a, b] = node.args;
      const divisor = this.number(b!, env);
      if (a!.t === 'bin' && a!.op === '*') {
        const x = this.number(a!.left, env);
        const y = this.number(a!.right, env);
        if (x.type.scale || y.type.scale || divisor.type.scale) throw new Error('MOD of a product is modelled for integers only');
        const product = corners(x, y, (p, q) => p * q);
        if (isSafe(product)) return this.mod({ js: this.temp(`${x.js} * ${y.js}`), type: { kind: 'number', scale: 0 }, ...product }, divisor);
        // MOD(x * y, m): exact, however large the product.
        return { js: `mulMod(${x.js}, ${y.js}, ${divisor.js})`, type: { kind: 'number', scale: 0 }, ...this.modBounds(product, divisor) };
      }
      return this.mod(this.number(a!, env), divisor);
    }
    if (node.name === 'FLOOR') {
      const value = this.number(node.args[0]!, env);
      const p = POW10[value.type.scale]!;
      if (p === 1) return value;
      return { js: `floorDiv(${value.js}, ${p})`, type: { kind: 'number', scale: 0 }, lo: Math.floor(value.lo / p), hi: Math.floor(value.hi / p) };
    }
    const fn = this.functions.get(node.name);
    if (!fn) throw new Error(`function ${node.name} is not modelled`);
    if (fn.params.length !== node.args.length) throw new Error(`${node.name} takes ${fn.params.length} arguments`);
    const args = node.args.map((arg, k) => this.convert(this.expr(arg, env), this.argumentType(fn.params[k]!)));
    if (fn.params.length !== 1) {
      const inner = new Map<string, Compiled>(fn.params.map((p, k) => [p.name, { ...args[k]!, js: this.temp(args[k]!.js) }]));
      return this.convert(this.expr(fn.body, inner), declaredType(fn.returns));
    }
    const seen = this.argBounds.get(node.name);
    this.argBounds.set(node.name, args.map((arg, k) => ({ lo: Math.min(arg.lo, seen?.[k]!.lo ?? Infinity), hi: Math.max(arg.hi, seen?.[k]!.hi ?? -Infinity) })));
    const result = this.returnBounds.get(node.name) ?? UNKNOWN;
    return { js: `f${this.names.get(node.name)}(${this.temp(args[0]!.js)})`, type: declaredType(fn.returns), ...result };
  }

  private modBounds(a: { lo: number; hi: number }, b: { lo: number; hi: number }): { lo: number; hi: number } {
    const d = Math.max(Math.abs(b.lo), Math.abs(b.hi)) - 1;
    return { lo: a.lo >= 0 ? 0 : Math.max(a.lo, -d), hi: a.hi <= 0 ? 0 : Math.min(a.hi, d) };
  }

  private mod(a: NumberValue, b: NumberValue): Compiled {
    const scale = Math.max(a.type.scale, b.type.scale);
    const x = this.toScale(a, scale);
    const y = this.toScale(b, scale);
    // JavaScript's % is exact on integers and takes the dividend's sign, as MOD does; it is fast
    // only on 32-bit integers, where the bounds allow it.
    // (| 0 tells V8 so: a value read back from a Float64Array would otherwise take the slow path.)
    const js = isInt32(x) && isInt32(y) ? `((${x.js} | 0) % ${/^\d+$/.test(y.js) ? y.js : `(${y.js} | 0)`})` : `imod(${x.js}, ${y.js})`;
    return { js, type: { kind: 'number', scale }, ...this.modBounds(x, y) };
  }

  private binary(node: Extract<Node, { t: 'bin' }>, env: Map<string, Compiled>): Compiled {
    const { op } = node;
    if (op === 'AND' || op === 'OR') {
      return { js: `(${this.expr(node.left, env).js} ${op === 'AND' ? '&&' : '||'} ${this.expr(node.right, env).js})`, type: { kind: 'boolean' }, ...UNKNOWN };
    }
    if (op === '||') {
      const text = (n: Node) => {
        const value = this.expr(n, env);
        return value.type.kind === 'varchar' ? value : this.toText(value);
      };
      return this.concat(text(node.left), text(node.right));
    }
    const a = this.number(node.left, env);
    const b = this.number(node.right, env);
    const s1 = a.type.scale;
    const s2 = b.type.scale;
    const compare: Record<string, string> = { '=': '===', '<>': '!==', '!=': '!==', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
    if (compare[op] || op === '+' || op === '-') {
      const x = this.toScale(a, Math.max(s1, s2));
      const y = this.toScale(b, Math.max(s1, s2));
      if (compare[op]) return { js: `(${x.js} ${compare[op]} ${y.js})`, type: { kind: 'boolean' }, ...UNKNOWN };
      // x - MOD(x, p) is never below 0 when x is not: interval arithmetic alone would not know.
      const remainderOfLeft = node.right.t === 'call' && node.right.name === 'MOD' && JSON.stringify(node.right.args[0]) === JSON.stringify(node.left);
      const lo = op === '+' ? x.lo + y.lo : remainderOfLeft && x.lo >= 0 ? 0 : x.lo - y.hi;
      const hi = op === '+' ? x.hi + y.hi : x.hi - y.lo;
      return { ...checked(`${x.js} ${op} ${y.js}`, lo, hi), type: { kind: 'number', scale: Math.max(s1, s2) } };
    }
    if (op === '*') {
      const scale = Math.min(s1 + s2, Math.max(s1, s2, 12));
      const bounds = corners(a, b, (p, q) => p * q);
      const product: NumberValue = { ...checked(`${a.js} * ${b.js}`, bounds.lo, bounds.hi), type: { kind: 'number', scale: s1 + s2 } };
      return scale < s1 + s2 ? this.toScale({ ...product, js: this.temp(product.js) }, scale) : product;
    }
    // Division: scale max(s1, min(s1 + 6, 12)), rounded: m1 * 10^(scale - s1 + s2) / m2.
    const scale = Math.max(s1, Math.min(s1 + 6, 12));
    const p = POW10[scale - s1 + s2]!;
    const numerator = checked(`${a.js} * ${p}`, Math.min(a.lo * p, a.hi * p), Math.max(a.lo * p, a.hi * p));
    const positive = numerator.lo >= 0 && b.lo > 0;
    const quotient = corners(numerator, b, (x, y) => x / y);
    const zero = b.lo <= 0 && b.hi >= 0;
    return {
      js: `${positive ? 'divRoundPos' : 'divRound'}(${this.temp(numerator.js)}, ${b.js})`,
      type: { kind: 'number', scale },
      lo: zero ? -Infinity : Math.floor(quotient.lo),
      hi: zero ? Infinity : Math.ceil(quotient.hi),
    };
  }
}

type NumberValue = Compiled & { type: { kind: 'number'; scale: number } };

export interface CompiledFunctions {
  /** The generated code: `instantiate(code)` gives `{ call, loop }` (in a worker thread too). */
  code: string;
  /** The entry: a function of its (integer) arguments. */
  call: (...args: number[]) => number;
  /** For an entry of one argument: the entry over a range of arguments. */
  loop: Loop;
  /** Compiles an expression of named integer arguments with the same rules. */
  expression(node: Node, params: string[], bounds: Bounds): (...args: number[]) => number;
}

/**
 * Compiles the functions reachable from `entry`, to be called with arguments within `bounds`:
 * the bounds prove where a value cannot leave 2^53 (no check needed) and where a sign is known
 * (cheaper rounding). Every value the bounds do not cover is checked at run time.
 */
export function compile(functions: Map<string, SqlFunction>, entry: string, bounds: Bounds): CompiledFunctions {
  const compiler = new Compiler(functions);
  const code = compiler.build(entry, bounds);
  return { code, ...(instantiate(code) as { call: CompiledFunctions['call']; loop: Loop }), expression: (node, params, b) => compiler.expression(node, params, b) };
}

/** A packed digit string (see `helpers.text`) as text, or undefined when it is not all digits. */
export function unpackText(packed: number): string | undefined {
  if (!Number.isFinite(packed)) return undefined;
  const value = Math.floor(packed / 16);
  return String(value).padStart(packed - value * 16, '0');
}
