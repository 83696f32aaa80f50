import type { z } from 'zod';

/** The first problem zod found, as `path: message` (the message alone at the root), for a refusal. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue?.message ?? 'bad input'}`;
}
