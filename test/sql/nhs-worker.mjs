// Worker thread of test/sql/nhs-numbers.test.ts: evaluates a compiled NHS-number function (the
// model's code, see snowflake-number.ts) for every slot in from..to - 1 and judges each result
// with its own modulus-11 check, written independently of the SQL. Plain JavaScript: workers
// load it as it is.
import { parentPort, workerData } from 'node:worker_threads';
import { instantiate } from './snowflake-helpers.mjs';

const { code, from, to } = workerData;
const { loop } = instantiate(code);

const report = { from, to, invalid: 0, invalidSlots: [], examples: [], nonIncreasing: 0, firstPrefix: -1, lastPrefix: -1 };
let lastStem = -1;
let stemSum = 0;

/** Weights 10 down to 3 on the eight digits of a stem. */
function weightedSum(stem) {
  let sum = 0;
  let rest = stem;
  for (let weight = 3; weight <= 10; weight++) {
    const digit = rest % 10;
    sum += weight * digit;
    rest = (rest - digit) / 10;
  }
  return sum;
}

function fail(slot, packed) {
  report.invalid++;
  if (report.invalidSlots.length < 10_000) report.invalidSlots.push(slot);
  if (report.examples.length < 5) {
    const value = Math.floor(packed / 16);
    report.examples.push({ slot, text: Number.isFinite(packed) ? String(value).padStart(packed - value * 16, '0') : '(not all digits)' });
  }
}

loop(from, to, (slot, packed) => {
  // packed = value * 16 + length: ten digits, starting with 4 to 7, the last one the check digit.
  const value = Math.floor(packed / 16);
  if (packed - value * 16 !== 10 || !(value >= 4_000_000_000 && value < 8_000_000_000)) return fail(slot, packed);
  const stem = Math.floor(value / 100);
  const lastTwo = (value - stem * 100) | 0;
  const ninth = (lastTwo / 10) | 0;
  const check = lastTwo - ninth * 10;
  const prefix = stem * 10 + ninth;
  if (stem !== lastStem) {
    lastStem = stem;
    stemSum = weightedSum(stem | 0);
  }
  if ((stemSum + 2 * ninth + check) % 11 !== 0) fail(slot, packed);
  // Increasing prefixes are unique prefixes, and a valid number is its prefix and check digit.
  if (prefix <= report.lastPrefix) report.nonIncreasing++;
  if (report.firstPrefix < 0) report.firstPrefix = prefix;
  report.lastPrefix = prefix;
});

parentPort.postMessage(report);
