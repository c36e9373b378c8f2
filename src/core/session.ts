/**
 * A show's connection to its engine: connects once, runs one step at a time, cancels on demand.
 * Plain async code with an AbortController; the UI only calls it and listens.
 *
 * With a `context` (runbook and state dir), a show on a real engine is recorded step by step, and
 * the fallback key and progress estimates read the recordings.
 */
import { RehearsalEngine } from '../engine/rehearsal.js';
import type { Engine } from '../engine/types.js';
import { findReplay, libraryFor, recordedOutcome, REPLAY_ORDER } from '../record/replay.js';
import { Recorder } from '../record/store.js';
import type { RecordedEngine } from '../record/types.js';
import type { Runbook, Step } from '../runbook/model.js';
import type { ParamValue } from '../runbook/sql.js';
import { untilAborted } from './abort.js';
import { runStep, type RunEvent, type StepOutcome } from './runner.js';
import { Teardown, TEARDOWN_ON_EXIT_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from './teardown.js';

/** When the show ends, how long a step still running gets to stop (and tear down) before we go on. */
const CLOSE_WAIT_MS = TEARDOWN_ON_EXIT_TIMEOUT_MS + 5_000;

export interface SessionContext {
  runbook: Runbook;
  /** Where recordings live (`.demo/` or $DEMO_STATE_DIR). */
  stateDir: string;
  /** Which command this show is, for the recording's name (default: the walkthrough). */
  command?: 'walk' | 'restore';
}

export class ShowSession {
  private connecting?: Promise<void>;
  /** Stops a connection still being made when the show closes. */
  private readonly closer = new AbortController();
  private running?: { stepId: string; controller: AbortController; done: Promise<unknown> };
  private readonly teardown?: Teardown;
  private closing = false;
  /** How the teardown went when the show ended, for the presenter once the screen is gone. */
  closingNote?: string;
  private readonly estimates = new Map<string, number | undefined>();
  private readonly recorder?: Recorder;
  /** The engine the runner uses: the same engine, tapped for the recording when there is one. */
  private readonly runEngine: Engine;

  constructor(
    readonly engine: Engine,
    readonly params: Readonly<Record<string, ParamValue>>,
    private readonly context?: SessionContext,
  ) {
    if (context && engine.kind !== 'rehearsal') {
      this.recorder = new Recorder({ stateDir: context.stateDir, runbook: context.runbook, engine: engine.kind, command: context.command ?? 'walk', params });
    }
    this.runEngine = this.recorder ? this.recorder.tap(engine) : engine;
    if (context) this.teardown = new Teardown({ engine: this.runEngine, runbook: context.runbook, params, recorder: this.recorder });
  }

  get runningStepId(): string | undefined {
    return this.running?.stepId;
  }

  /** The file this show is being recorded to, once the first step has finished. */
  get recordingFile(): string | undefined {
    return this.recorder?.file;
  }

  /** Starts connecting now, so that the header knows before the first step; a failure is retried by the next step. */
  connectInBackground(): void {
    this.connect().catch(() => {});
  }

  private connect(): Promise<void> {
    this.connecting ??= this.engine.connect(this.closer.signal).catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  async run(step: Step, onEvent: (event: RunEvent) => void): Promise<StepOutcome> {
    if (this.running) throw new Error(`'${this.running.stepId}' is still running`);
    const controller = new AbortController();
    const startedAt = new Date();
    const done = (async () => {
      const outcome = await this.runConnected(step, controller, onEvent);
      // After a failure or a cancel, the runbook's teardown (the warehouse back to its base size),
      // before the step is recorded, so that its recording says so too.
      if (outcome.status === 'failed' || outcome.status === 'cancelled') {
        const timeoutMs = this.closing ? TEARDOWN_ON_EXIT_TIMEOUT_MS : TEARDOWN_TIMEOUT_MS;
        const note = await this.teardown?.run({ after: outcome.status, stepId: step.id }, timeoutMs, onEvent);
        if (note) outcome.notices.push(note);
        if (this.closing) this.closingNote = note;
      }
      const problem = this.recorder?.record('step', step, outcome, startedAt);
      if (problem) outcome.notices.push(problem);
      return outcome;
    })();
    this.running = { stepId: step.id, controller, done };
    try {
      return await done;
    } finally {
      this.running = undefined;
      // A finished run is a newer recording: estimates are read afresh.
      this.estimates.clear();
    }
  }

  private async runConnected(step: Step, controller: AbortController, onEvent: (event: RunEvent) => void): Promise<StepOutcome> {
    // A browser sign-in (SSO) may be needed on any (re)connect: its address goes to the screen of
    // the step that is waiting for it.
    this.engine.onLoginUrl = (url) =>
      onEvent({ type: 'progress', progress: { state: 'WAITING_FOR_BROWSER', url, detail: 'finish the Snowflake login in the browser' } });
    try {
      // A failed connection is retried on the next run, not cached forever; Ctrl-C stops the wait.
      await untilAborted(this.connect(), controller.signal);
    } catch (error) {
      if (controller.signal.aborted) return { status: 'cancelled', queries: [], elapsedMs: 0, notices: [] };
      return {
        status: 'failed',
        queries: [],
        elapsedMs: 0,
        notices: [],
        error: { message: `could not connect: ${error instanceof Error ? error.message : String(error)}`, hint: (error as { hint?: string }).hint },
      };
    }
    const outcome = await runStep({ engine: this.runEngine, step, params: this.params, signal: controller.signal, onEvent });
    if (outcome.status !== 'skipped') this.teardown?.arm();
    return outcome;
  }

  /**
   * The step's last recorded successful outcome, for the fallback key after a live failure: results
   * marked 'recorded', `recordedAt` set, a notice "recorded <date> …, not live", and a stale notice
   * when the step's SQL changed since. From this engine kind's runs first (live before local).
   */
  fallback(stepId: string): StepOutcome | undefined {
    const step = this.findStep(stepId);
    if (!step || !this.context) return undefined;
    const replay = findReplay(libraryFor(this.context.stateDir), this.context.runbook, 'step', step, this.preferredEngines());
    return replay ? recordedOutcome(replay) : undefined;
  }

  /** One line per recording that was read for the fallback or an estimate and skipped, naming it and why. */
  recordingWarnings(): string[] {
    return this.context ? libraryFor(this.context.stateDir).warnings() : [];
  }

  /** How long the step took in the last recorded run, for the progress bar; undefined: no estimate. */
  expectedMs(stepId: string): number | undefined {
    // Asked on every tick of the status line: read the recordings once per step, not ten times a second.
    if (!this.estimates.has(stepId)) this.estimates.set(stepId, this.readExpectedMs(stepId));
    return this.estimates.get(stepId);
  }

  private readExpectedMs(stepId: string): number | undefined {
    // A rehearsal knows what it is about to replay: the recorded or mocked duration.
    if (this.engine instanceof RehearsalEngine) return this.engine.plannedMs(stepId);
    const step = this.findStep(stepId);
    if (!step || !this.context || this.engine.kind === 'rehearsal') return undefined;
    // Only this engine's own runs: a laptop's timings say nothing about a warehouse's.
    const replay = findReplay(libraryFor(this.context.stateDir), this.context.runbook, 'step', step, [this.engine.kind]);
    return replay && !replay.stale ? replay.entry.wallMs : undefined;
  }

  /** Cancels the running step, if any; returns whether there was one. */
  cancel(): boolean {
    if (!this.running) return false;
    this.running.controller.abort();
    return true;
  }

  /**
   * Ends the show: cancels what runs (waiting a little for it to stop and tear down), runs the
   * teardown if anything ran since the last one, then closes the engine. Bounded: a silent server
   * holds it for CLOSE_WAIT_MS and the teardown's own watchdog at most.
   */
  async close(): Promise<void> {
    this.closing = true;
    const running = this.running?.done;
    this.cancel();
    this.closer.abort();
    if (running) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([running.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)))]);
      clearTimeout(timer);
    }
    if (!this.running) this.closingNote = (await this.teardown?.run({ after: 'end' }, TEARDOWN_ON_EXIT_TIMEOUT_MS)) ?? this.closingNote;
    this.recorder?.finish();
    await this.engine.close();
  }

  private findStep(stepId: string): Step | undefined {
    const runbook = this.context?.runbook;
    if (!runbook) return undefined;
    return stepId === runbook.restore.id ? runbook.restore : runbook.steps.find((s) => s.id === stepId);
  }

  private preferredEngines(): RecordedEngine[] {
    const kind = this.engine.kind;
    return kind === 'rehearsal' ? [...REPLAY_ORDER] : [kind, ...REPLAY_ORDER.filter((e) => e !== kind)];
  }
}
