/**
 * The runbook format as a JSON Schema, for editors (`demo schema`, shipped as runbook.schema.json):
 * generated from the zod schema, so the two cannot drift. Draft 7, the draft the YAML language server
 * implements in full. The input side of the schema: keys with defaults may be left out, as in YAML.
 * What JSON Schema cannot say (a duration above zero, ids that are unique, SQL files that exist) is
 * left to `demo validate`: the editor may accept a little more than validate, never less.
 */
import { z } from 'zod';
import { runbookSchema } from './schema.js';

export function runbookJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(runbookSchema, { io: 'input', target: 'draft-7', unrepresentable: 'any' }) as Record<string, unknown>;
}

/** As the repo ships it: two-space indents, a final newline. */
export function runbookJsonSchemaText(): string {
  return `${JSON.stringify(runbookJsonSchema(), null, 2)}\n`;
}
