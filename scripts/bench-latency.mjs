#!/usr/bin/env node
// Key-press latency and idle CPU of the show, in a pseudo-terminal. Run after `npm run build`.
//
// Latency: while a step runs and its spinner animates (a runbook of our own whose first step runs
// for ten minutes), the time from writing a key to the pty until the frame showing its effect
// arrives (→ / ← move between steps: "Step 2/" or "Step 1/" appears), against a minimal Ink app
// that updates a line on a key press, the two interleaved in the same run. Median and 95th
// percentile of each, and their ratio (target <= 1.2).
// Idle CPU: the show resting on a step, nothing running, measured from /proc/<pid>/stat over 5 s
// (target < 5% of one core); then its CPU while a step runs, every spinner animating, over 5 s.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pty from 'node-pty';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const presses = Number(process.env.PRESSES ?? 60);
// Both in React's production build (the show turns it on for itself), so the ratio is ours alone.
const env = { ...process.env, TERM: 'xterm-256color', NODE_ENV: 'production', DEMO_STATE_DIR: path.join(root, '.demo', 'bench-latency') };
delete env.CI;
// A runbook of our own, so the figures do not move when the show's runbook changes: a step that
// runs for ten minutes (its spinner animating), with talk and a result table, and a second step.
const stateDir = env.DEMO_STATE_DIR;
mkdirSync(stateDir, { recursive: true });
const runbook = path.join(stateDir, 'runbook.yml');
writeFileSync(
  runbook,
  `title: Latency benchmark
duration: 30m
steps:
  - id: long
    title: A long step
    target: 2m
    talk: ["It runs for ten minutes.", "Meanwhile, keys must answer at once.", { pause: for effect }]
    inline: SELECT 1 AS N
    mock: { duration: 10m, columns: [LAYER, OBJECT, ROW_COUNT], rows: [[BRONZE, RAW_PATIENTS, 100000000], [SILVER, PATIENTS, 100000000]] }
  - id: second
    title: The next step
    talk: ["Something to say."]
    inline: SELECT 2 AS N
    mock: { duration: 1s, columns: [N], rows: [[2]] }
restore:
  id: restore
  title: Restore
  destructive: true
  inline: SELECT 3 AS N
  mock: { duration: 1s, columns: [N], rows: [[3]] }
`,
);
const size = { cols: Number(process.env.COLS ?? 100), rows: Number(process.env.ROWS ?? 30) };

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function spawn(args) {
  const child = pty.spawn(process.execPath, args, { ...size, cwd: root, env });
  let waiter;
  child.onData((data) => {
    if (!waiter) return;
    // Only what arrived after the key counts; the buffer keeps just enough to see a split marker.
    waiter.seen = (waiter.seen + data).slice(-4096);
    if (waiter.seen.includes(waiter.marker)) {
      const w = waiter;
      waiter = undefined;
      w.resolve(process.hrtime.bigint());
    }
  });
  return {
    child,
    /** Resolves with the moment `marker` appears in output written after now. */
    waitFor(marker, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`'${marker}' not seen; output: ${JSON.stringify(waiter?.seen.slice(-400))}`)), timeoutMs);
        waiter = { marker, seen: '', resolve: (t) => (clearTimeout(timer), resolve(t)) };
      });
    },
    async press(key, marker) {
      const seen = this.waitFor(marker);
      const started = process.hrtime.bigint();
      child.write(key);
      return Number((await seen) - started) / 1e6;
    },
  };
}

function cpuTicks(pid) {
  // Fields after the command name (which may hold spaces): utime is the 14th field, stime the 15th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p95: s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] };
};

// The show, with its first step running for minutes (its spinner animating), and the baseline.
const demo = spawn([path.join(root, 'dist/cli/main.js'), '--rehearse', '--runbook', runbook]);
await demo.waitFor('Step 1/');
await sleep(300); // raw mode is on once the first frame's effects ran
const running = demo.waitFor('running');
demo.child.write('\r');
await running;
const baseline = spawn([path.join(root, 'scripts/fixtures/minimal-ink-keys.mjs')]);
await baseline.waitFor('count: 0');
const floor = spawn([path.join(root, 'scripts/fixtures/fullscreen-ink-keys.mjs')]);
await floor.waitFor('count: 0');
await sleep(500);

const demoTimes = [];
const baseTimes = [];
const floorTimes = [];
for (let i = 0; i < presses; i++) {
  // Alternate → and ←, so every press has a visible effect; jitter the gap so presses land at
  // every phase of the spinner's tick.
  const right = i % 2 === 0;
  demoTimes.push(await demo.press(right ? '\x1b[C' : '\x1b[D', right ? 'Step 2/' : 'Step 1/'));
  await sleep(40 + Math.random() * 80);
  baseTimes.push(await baseline.press('x', `count: ${i + 1}`));
  await sleep(40 + Math.random() * 80);
  floorTimes.push(await floor.press('x', `count: ${i + 1}`));
  await sleep(40 + Math.random() * 80);
}
const d = stats(demoTimes);
const b = stats(baseTimes);
const f = stats(floorTimes);
console.log(`pty ${size.cols}×${size.rows}, ${presses} presses each, interleaved, while the show's step runs (spinner animating)`);
console.log(`minimal Ink app, key to frame: median ${b.median.toFixed(1)} ms, p95 ${b.p95.toFixed(1)} ms`);
console.log(`demo --rehearse, key to frame: median ${d.median.toFixed(1)} ms, p95 ${d.p95.toFixed(1)} ms`);
console.log(`ratio: median ${(d.median / b.median).toFixed(2)}, p95 ${(d.p95 / b.p95).toFixed(2)} (target <= 1.2)`);
console.log(`full-screen Ink app of the same size (Ink's floor), key to frame: median ${f.median.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms`);
console.log(`ratio to that floor: median ${(d.median / f.median).toFixed(2)}, p95 ${(d.p95 / f.p95).toFixed(2)}`);
baseline.child.kill();
floor.child.kill();
demo.child.write('\x03');
await sleep(200);
demo.child.kill();

// Idle: the show on a step, nothing running.
const idle = spawn([path.join(root, 'dist/cli/main.js'), '--rehearse', '--runbook', runbook]);
await idle.waitFor('Step 1/');
await sleep(2000);
const seconds = 5;
const before = cpuTicks(idle.child.pid);
await sleep(seconds * 1000);
const used = (cpuTicks(idle.child.pid) - before) / 100; // clock ticks are 1/100 s on Linux
console.log(`idle on a step: ${((used / seconds) * 100).toFixed(1)}% of one core over ${seconds} s (target < 5%)`);
// Running: the step's spinners (heading, running line, status line) and its clock all animate.
const running2 = idle.waitFor('running');
idle.child.write('\r');
await running2;
await sleep(1000);
const busyBefore = cpuTicks(idle.child.pid);
await sleep(seconds * 1000);
const busy = (cpuTicks(idle.child.pid) - busyBefore) / 100;
console.log(`while a step runs (spinners animating): ${((busy / seconds) * 100).toFixed(1)}% of one core over ${seconds} s`);
idle.child.kill();
process.exit(0);
