/** A problem in a runbook or one of its SQL files, located precisely enough to jump to. */
export interface Issue {
  file: string;
  line: number;
  column: number;
  /** Where in the document, e.g. "steps[3].sql". */
  path?: string;
  message: string;
}

export function formatIssue(issue: Issue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

/** Bad input: the runbook, its SQL, or a param. Exit code 2; nothing has run. */
export class RunbookError extends Error {
  readonly issues: Issue[];
  constructor(issues: Issue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'RunbookError';
    this.issues = issues;
  }
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Bad input that is not in a file: a flag, a --param, a connection setting. Exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
