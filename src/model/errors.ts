// The one error type the model module throws for anything wrong with a model
// file: missing, unreadable, malformed or invalid. The CLI prints `message`
// (one line per problem) and no stack trace (docs/reference.md).

export interface ModelFileProblem {
  file: string;
  /** path in the model; empty for problems with the file as a whole */
  path: string;
  message: string;
}

export function formatProblem(p: ModelFileProblem): string {
  return [p.file, p.path, p.message].filter((part) => part !== '').join(': ');
}

export class ModelError extends Error {
  readonly problems: ModelFileProblem[];

  constructor(problems: ModelFileProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ModelError';
    this.problems = problems;
  }
}
