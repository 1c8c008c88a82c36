// `description` of a table or column in the model: it becomes the COMMENT of
// the api view or view column (src/compile/descriptions.ts), which PostGraphile
// shows as the GraphQL description. PostGraphile also reads smart tags out of
// comments (pg-introspection's parseSmartComment: leading lines `@tag value`,
// e.g. `@behavior -*` or `@foreignKey ...`), so a description could change the
// schema the server exposes. Any line that begins with `@` (after whitespace)
// is refused, wherever it is, rather than escaped: there is no escape the
// parser honours, and the rule is easy to state in the error.
import * as z from 'zod';

export const MAX_DESCRIPTION_LENGTH = 2000;

const TAG_LINE = /^\s*@/m;

export const descriptionSchema = z.string().superRefine((value, ctx) => {
  if (value.trim() === '') {
    ctx.addIssue({ code: 'custom', message: 'the description is empty; write some text or leave the key out' });
  } else if (value.length > MAX_DESCRIPTION_LENGTH) {
    ctx.addIssue({ code: 'custom', message: `the description is ${value.length} characters long; keep it to ${MAX_DESCRIPTION_LENGTH}` });
  } else if (TAG_LINE.test(value)) {
    ctx.addIssue({
      code: 'custom',
      message: "a line of the description begins with '@', which PostGraphile would read as a smart tag; reword that line so it does not start with '@'",
    });
  } else if (/[\0-\x08\x0b-\x1f\x7f]/.test(value)) {
    ctx.addIssue({ code: 'custom', message: 'the description contains a control character; use plain text (line breaks and tabs are fine)' });
  }
});
