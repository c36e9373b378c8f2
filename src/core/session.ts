/**
 * A show's connection to its engine: connects once, runs one step at a time, cancels on demand.
 * Plain async code with an AbortController; the UI only calls it and listens.
 */
import type { Engine } from '../engine/types.js';
import type { Step } from '../runbook/model.js';
import type { ParamValue } from '../runbook/sql.js';
import { runStep, type RunEvent, type StepOutcome } from './runner.js';

export class ShowSession {
  private connecting?: Promise<void>;
  private running?: { stepId: string; controller: AbortController };

  constructor(
    readonly engine: Engine,
    readonly params: Readonly<Record<string, ParamValue>>,
  ) {}

  get runningStepId(): string | undefined {
    return this.running?.stepId;
  }

  async run(step: Step, onEvent: (event: RunEvent) => void): Promise<StepOutcome> {
    if (this.running) throw new Error(`'${this.running.stepId}' is still running`);
    const controller = new AbortController();
    this.running = { stepId: step.id, controller };
    try {
      this.connecting ??= this.engine.connect(controller.signal);
      try {
        await this.connecting;
      } catch (error) {
        // A failed connection is retried on the next run, not cached forever.
        this.connecting = undefined;
        if (controller.signal.aborted) return { status: 'cancelled', queries: [], elapsedMs: 0, notices: [] };
        return {
          status: 'failed',
          queries: [],
          elapsedMs: 0,
          notices: [],
          error: { message: `could not connect: ${error instanceof Error ? error.message : String(error)}`, hint: (error as { hint?: string }).hint },
        };
      }
      return await runStep({ engine: this.engine, step, params: this.params, signal: controller.signal, onEvent });
    } finally {
      this.running = undefined;
    }
  }

  /**
   * The step's last recorded outcome (results marked 'recorded', with `recordedAt`), for the
   * fallback key after a live failure. Filled in by the recordings work; none until then.
   */
  fallback(_stepId: string): StepOutcome | undefined {
    return undefined;
  }

  /** How long the step took in the last recorded run, for the progress bar; undefined: no estimate. */
  expectedMs(_stepId: string): number | undefined {
    return undefined;
  }

  /** Cancels the running step, if any; returns whether there was one. */
  cancel(): boolean {
    if (!this.running) return false;
    this.running.controller.abort();
    return true;
  }

  async close(): Promise<void> {
    this.cancel();
    await this.engine.close();
  }
}
