import type { Rule } from 'antd/es/form';
import type { ZodType } from 'zod';

/** An antd form rule that checks a filled-in field with the shared zod contract (its Chinese messages). */
export function zodRule(schema: ZodType, opts: { transform?: (v: unknown) => unknown } = {}): Rule {
  return {
    validator: async (_rule, value: unknown) => {
      // Emptiness is the `required` rule's business; this one checks format and length.
      if (value === undefined || value === null || value === '') return;
      const v = opts.transform ? opts.transform(value) : value;
      const r = schema.safeParse(v);
      if (!r.success) throw new Error(r.error.issues[0]?.message ?? '格式不正确');
    },
  };
}
