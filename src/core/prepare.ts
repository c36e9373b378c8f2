/** Turns a step into the statements an engine runs: SQL for that engine, params rendered, split. */
import type { EngineKind, StatementRequest } from '../engine/types.js';
import { dialectOf, type StatementClass } from '../runbook/classify.js';
import { RunbookError } from '../runbook/errors.js';
import { sqlFor, type Query, type Step } from '../runbook/model.js';
import type { Expectation } from '../runbook/schema.js';
import { renderTemplate, splitStatements, type ParamValue } from '../runbook/sql.js';

export interface PreparedStatement extends StatementRequest {
  file: string;
  line: number;
  column: number;
  /** Which of the step's queries this statement belongs to. */
  queryIndex: number;
  /** The last statement of a query carries its result, mock and expectations. */
  lastOfQuery: boolean;
  label?: string;
  expect: Expectation[];
  allows: StatementClass;
}

/** What a step's own statements may do: change things only when it is marked destructive. */
export function stepAllows(step: Pick<Step, 'destructive' | 'allows'>): StatementClass {
  return step.allows ?? (step.destructive ? 'changes' : 'read-only');
}

/** What SQL that runs without a confirmation of its own (a cleanup, a teardown) may do: read, or size a warehouse. */
export function unconfirmedAllows(step?: Pick<Step, 'destructive'>): StatementClass {
  return step?.destructive ? 'changes' : 'warehouse';
}

export function prepareStep(
  step: Step,
  engine: EngineKind,
  params: Readonly<Record<string, ParamValue>>,
  queries: readonly Query[] = step.queries,
  allows: StatementClass = stepAllows(step),
): PreparedStatement[] {
  const pieces: Omit<PreparedStatement, 'index' | 'count'>[] = [];
  queries.forEach((query, queryIndex) => {
    const text = sqlFor(query, engine);
    const rendered = renderTemplate(text.text, text.file, params);
    if (rendered.issues.length > 0) throw new RunbookError(rendered.issues);
    const statements = splitStatements(rendered.sql, dialectOf(engine));
    statements.forEach((statement, i) => {
      const last = i === statements.length - 1;
      pieces.push({
        sql: statement.sql,
        stepId: step.id,
        file: text.file,
        line: text.line + statement.line - 1,
        column: statement.column,
        queryIndex,
        lastOfQuery: last,
        label: query.label,
        mock: last ? query.mock : undefined,
        expect: last ? query.expect : [],
        allows,
      });
    });
  });
  return pieces.map((p, index) => ({ ...p, index, count: pieces.length }));
}
