/**
 * The run-time half of the lint: every engine that can change things refuses a statement that does
 * more than its request allows, so a runbook that skipped `demo validate`, or code that calls an
 * engine directly, cannot get around it.
 */
import { refusal } from '../runbook/classify.js';
import type { SqlDialect } from '../runbook/sql.js';
import { EngineError, type StatementRequest } from './types.js';

export function assertAllowed(request: StatementRequest, dialect: SqlDialect): void {
  const refused = refusal(request.sql, request.allows ?? 'read-only', dialect, request.stepId);
  if (refused) {
    throw new EngineError(refused, {
      code: 'NOT_ALLOWED',
      hint: "nothing was run; if the step is meant to change data, mark it 'destructive: true' in the runbook (it then asks first)",
    });
  }
}
