// The run-time helpers of the Snowflake NUMBER model (test/sql/snowflake-number.ts): what the
// compiled SQL calls for division, rounding, MOD and text. Plain JavaScript, so that worker threads
// load it as it is. Every helper keeps its values exact integers, or throws.

export const POW10 = Array.from({ length: 19 }, (_, k) => 10 ** k);

export const helpers = {
  /**
   * a % b for safe integers (the sign of a, as Snowflake's MOD), without the floating-point
   * remainder, which is slow: the quotient is estimated by division and corrected by one step.
   */
  imod(a, b) {
    const d = Math.abs(b);
    let r = a - Math.trunc(a / b) * b;
    if (a >= 0) {
      if (r < 0) r += d;
      else if (r >= d) r -= d;
    } else if (r > 0) r -= d;
    else if (r <= -d) r += d;
    return r;
  },
  /** Throws for a value the bounds could not prove to be a safe integer, when it is not one. */
  safe(x) {
    if (!Number.isSafeInteger(x)) throw new RangeError(`intermediate value ${x} is beyond 2^53: the model cannot vouch for it`);
    return x;
  },
  /** a / b rounded half away from zero, for integers. */
  divRound(a, b) {
    if (b === 0) throw new RangeError('division by zero');
    const r = helpers.imod(a, b);
    const q = (a - r) / b;
    return 2 * Math.abs(r) >= Math.abs(b) ? q + Math.sign(a) * Math.sign(b) : q;
  },
  /** The same for a >= 0 and b > 0, the common case. */
  divRoundPos(a, b) {
    let q = Math.floor(a / b);
    let r = a - q * b;
    if (r < 0) {
      q--;
      r += b;
    } else if (r >= b) {
      q++;
      r -= b;
    }
    return 2 * r >= b ? q + 1 : q;
  },
  /** FLOOR(m / p) for an integer m and p > 0. */
  floorDiv(m, p) {
    const r = helpers.imod(m, p);
    return (m - r) / p - (r < 0 ? 1 : 0);
  },
  /** MOD(a * b, m) for integers, exact even when a * b is beyond 2^53 (Snowflake's NUMBER(38) is). */
  mulMod(a, b, m) {
    const p = a * b;
    if (Number.isSafeInteger(p)) return helpers.imod(p, m);
    if (a < 0 || b < 0 || m <= 0 || m >= 2 ** 36 || a >= 2 ** 36) return Number((BigInt(a) * BigInt(b)) % BigInt(m));
    const { imod } = helpers;
    const high = Math.floor(b / 65536);
    const low = b - high * 65536;
    return imod(imod(imod(a * high, m) * 65536, m) + imod(a * low, m), m);
  },
  /** A non-negative integer written as text: packed as value * 16 + length. Anything else is NaN. */
  text(m) {
    if (m < 0) return NaN;
    let n = m < 1e8 ? 1 : 9;
    while (n < 16 && m >= POW10[n]) n++;
    return m * 16 + n;
  },
  concat(a, b) {
    const va = Math.floor(a / 16);
    const vb = Math.floor(b / 16);
    const la = a - va * 16;
    const lb = b - vb * 16;
    if (la + lb > 14) return NaN;
    return (va * POW10[lb] + vb) * 16 + la + lb;
  },
  fitText(packed, length) {
    const chars = packed - Math.floor(packed / 16) * 16;
    if (chars > length) throw new RangeError(`a string of ${chars} characters does not fit VARCHAR(${length})`);
    return packed;
  },
};

/** Turns generated code (see Compiler.build) into its functions. */
export function instantiate(code) {
  return new Function('h', code)(helpers);
}
