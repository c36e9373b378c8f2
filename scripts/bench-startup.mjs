#!/usr/bin/env node
// Time from launch to the first frame, in a pseudo-terminal: `demo --rehearse` against a minimal
// Ink app that renders one line, interleaved in the same run. Prints both medians and the ratio.
// Target: ratio <= 1.2. Run after `npm run build`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pty from 'node-pty';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.RUNS ?? 9);
// Both in React's production build: the show turns it on for itself, so the baseline gets it too
// and the ratio measures our own start-up, not React's development checks.
const env = { ...process.env, TERM: 'xterm-256color', NODE_ENV: 'production', DEMO_STATE_DIR: path.join(root, '.demo', 'bench-startup') };
delete env.CI;

function firstFrame(args, marker) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = pty.spawn(process.execPath, args, { cols: 100, rows: 30, cwd: root, env });
    let seen = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`no first frame within 10 s; output: ${JSON.stringify(seen.slice(-300))}`));
    }, 10_000);
    child.onData((data) => {
      seen += data;
      if (seen.includes(marker)) {
        clearTimeout(timer);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        child.kill();
        resolve(ms);
      }
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const demo = [];
const baseline = [];
for (let i = 0; i < runs; i++) {
  baseline.push(await firstFrame([path.join(root, 'scripts/fixtures/minimal-ink.mjs')], 'READY'));
  demo.push(await firstFrame([path.join(root, 'dist/cli/main.js'), '--rehearse'], 'Step 1/'));
}
const d = median(demo);
const b = median(baseline);
console.log(`runs: ${runs} each, interleaved`);
console.log(`minimal Ink app, launch to first frame: median ${b.toFixed(0)} ms`);
console.log(`demo --rehearse, launch to first frame: median ${d.toFixed(0)} ms`);
console.log(`ratio: ${(d / b).toFixed(2)} (target <= 1.2)`);
