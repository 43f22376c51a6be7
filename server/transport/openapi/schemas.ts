import { z } from 'zod';
import * as accountSchemas from '../../../realtime/schemas/accounts.js';
import * as boardSchemas from '../../../realtime/schemas/board.js';
import * as campaignSchemas from '../../../realtime/schemas/campaign.js';
import * as commonSchemas from '../../../realtime/schemas/common.js';
import * as conferenceSchemas from '../../../realtime/schemas/conference.js';
import * as discussionSchemas from '../../../realtime/schemas/discussion.js';
import * as moderationSchemas from '../../../realtime/schemas/moderation.js';
import { JOIN_CODE_LENGTH } from '../../../realtime/vocabulary.js';
import type { JsonSchema } from './types.js';

/** zod schemas as JSON Schema, the named ones gathered as components. */

export const JOIN_CODE = `A join code: ${JOIN_CODE_LENGTH} letters and digits, in any case; spaces and dashes are ignored.`;

/**
 * The exported schemas of realtime/schemas/ that become components, named as exported (ideaView →
 * IdeaView): enums everywhere, objects and records in answers (a client reads inputs field by field).
 */
function componentNames(kinds: readonly (new (...args: never[]) => z.ZodType)[]): Map<z.ZodType, string> {
  const names = new Map<z.ZodType, string>();
  for (const [name, value] of Object.entries({ ...commonSchemas, ...boardSchemas, ...discussionSchemas, ...moderationSchemas, ...accountSchemas, ...conferenceSchemas, ...campaignSchemas })) {
    if (kinds.some((kind) => value instanceof kind) && !names.has(value as z.ZodType)) names.set(value as z.ZodType, name[0]!.toUpperCase() + name.slice(1));
  }
  return names;
}

type Registry = NonNullable<Parameters<typeof z.toJSONSchema>[1]>['metadata'];

export class SchemaConverter {
  readonly components: Record<string, JsonSchema> = {};
  private readonly registries = {
    input: SchemaConverter.naming(componentNames([z.ZodEnum])),
    output: SchemaConverter.naming(componentNames([z.ZodEnum, z.ZodObject, z.ZodRecord])),
  };

  /** A registry that names these schemas; their metadata (descriptions) still come from zod's global registry. */
  private static naming(names: Map<z.ZodType, string>): Registry {
    return {
      get: (schema: z.ZodType) => {
        const meta = z.globalRegistry.get(schema);
        const id = names.get(schema);
        return id ? { ...meta, id } : meta;
      },
    } as unknown as Registry;
  }

  /** JSON Schema of what a client sends (`io: 'input'`) or receives (`'output'`), with refs to the components. */
  convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const json = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
      metadata: this.registries[io],
      override: (ctx) => {
        if (ctx.zodSchema === commonSchemas.liveCode) (ctx.jsonSchema as JsonSchema).description ??= JOIN_CODE;
        // Cleaned text: a transform, then the checks on the result. Its input side is a bare string,
        // so the lengths (and format) of the result are carried over; a pattern is not (a join code is
        // typed in any case).
        const def = ctx.zodSchema._zod.def;
        if (io !== 'input' || def.type !== 'pipe') return;
        const out = z.toJSONSchema(def.out as z.ZodType, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' }) as JsonSchema;
        const target = ctx.jsonSchema as JsonSchema;
        for (const key of ['minLength', 'maxLength', 'format']) if (key in out && !(key in target)) target[key] = out[key];
      },
    }) as JsonSchema;
    const { $defs, ...root } = json;
    for (const [id, def] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
      const tidy = this.tidy(def) as JsonSchema;
      const known = this.components[id];
      if (known && JSON.stringify(known) !== JSON.stringify(tidy)) throw new Error(`Two different schemas are both named ${id}.`);
      this.components[id] = tidy;
    }
    return this.tidy(root) as JsonSchema;
  }

  /** Refs to components, no `$schema`, and no Number.MAX_SAFE_INTEGER bounds (zod\u2019s `int()`, not a rule of ours). */
  private tidy(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.tidy(item));
    if (typeof value !== 'object' || value === null) return value;
    const out: JsonSchema = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === '$schema') continue;
      if (key === 'maximum' && item === Number.MAX_SAFE_INTEGER) continue;
      if (key === 'minimum' && item === Number.MIN_SAFE_INTEGER) continue;
      if (key === '$ref' && typeof item === 'string') out[key] = item.replace('#/$defs/', '#/components/schemas/');
      else out[key] = this.tidy(item);
    }
    return out;
  }
}

/** The fields of an object schema (allOf of objects merged), or none. */
export function objectFields(schema: JsonSchema): { properties: Record<string, JsonSchema>; required: string[] } {
  const parts = Array.isArray(schema.allOf) ? (schema.allOf as JsonSchema[]) : [schema];
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const part of parts) {
    Object.assign(properties, (part.properties ?? {}) as Record<string, JsonSchema>);
    required.push(...((part.required ?? []) as string[]));
  }
  return { properties, required: [...new Set(required)] };
}
