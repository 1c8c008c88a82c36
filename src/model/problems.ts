// A problem found in a model: where it is (a path in the model, written the
// way the user navigates the file) and what to do about it.

export interface ModelProblem {
  /** e.g. `roles.salesperson.privileges.product.read`, `tables.contact.relationships[0].column` */
  path: string;
  /** what is wrong and how to fix it */
  message: string;
}

export type PathSegment = string | number;

export function formatPath(segments: readonly PropertyKey[]): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else path += path ? `.${String(segment)}` : String(segment);
  }
  return path;
}

export function problem(segments: readonly PathSegment[], message: string): ModelProblem {
  return { path: formatPath(segments), message };
}
