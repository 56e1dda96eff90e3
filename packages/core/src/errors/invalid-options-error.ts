import { DetourError } from './detour-error';

/** One problem found in options, with the path to the bad field (`endpoints[2].weight`). */
export interface OptionsIssue {
  readonly path: string;
  readonly message: string;
}

/** Options failed validation at construction. The message names every bad field and what is wrong with it. */
export class InvalidOptionsError extends DetourError {
  readonly issues: readonly OptionsIssue[];

  constructor(issues: readonly OptionsIssue[], subject = 'options') {
    const lines = issues.map((issue) => `  - ${issue.path || '(root)'}: ${issue.message}`);
    super('invalid_options', { message: `Invalid ${subject}:\n${lines.join('\n')}` });
    this.name = 'InvalidOptionsError';
    this.issues = issues;
  }
}
