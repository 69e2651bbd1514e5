// The YAML policy file: per-operation allow/deny rules with body constraints, validated with zod.
import type { RouteMatch } from './parse.js';
import type { Profile, RouteVerdict } from './profiles.js';
import { OPERATIONS, ROUTES } from './routes.js';
import type { BodyConstraints } from './types.js';

/** The file's schema; zod and yaml load only when a policy file is used (the proxy's idle memory). */
async function fileSchema() {
  const { z } = await import('zod');
  const constraintsSchema = z
    .object({
      allowPrivileged: z.boolean(),
      allowBindMounts: z.array(z.string().startsWith('/', 'bind-mount paths must be absolute')),
      allowHostNamespaces: z.boolean(),
      allowDevices: z.boolean(),
      allowCapabilities: z.array(z.string().min(1)),
      allowUnconfined: z.boolean(),
      allowDockerSocket: z.boolean(),
      allowRuntimeTweaks: z.boolean(),
      maxBodyBytes: z.number().int().positive(),
    })
    .partial()
    .strict();

  const ruleSchema = z
    .object({
      allow: z.array(z.string()).optional(),
      deny: z.array(z.string()).optional(),
      constraints: constraintsSchema.optional(),
    })
    .strict()
    .refine((r) => (r.allow ? 1 : 0) + (r.deny ? 1 : 0) === 1, 'each rule has exactly one of allow or deny');

  return z
    .object({
      version: z.literal(1),
      mode: z.enum(['enforce', 'observe']).optional(),
      defaults: constraintsSchema.optional(),
      rules: z.array(ruleSchema).min(1, 'a policy needs at least one rule'),
    })
    .strict();
}

/** A policy file that could not be loaded; the message names the file position and the problem. */
export class PolicyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyFileError';
  }
}

const SENSITIVE_OPS = new Set(ROUTES.filter((r) => r.sensitive).map((r) => r.operation));

/** Expands an operation pattern (`container.list`, `container.*`, `*`); globs skip secret-leaking reads. */
function expand(pattern: string): string[] {
  if (!pattern.endsWith('*')) {
    if (!OPERATIONS.includes(pattern)) throw new PolicyFileError(`unknown operation "${pattern}"`);
    return [pattern];
  }
  const prefix = pattern.slice(0, -1);
  if (prefix !== '' && !prefix.endsWith('.'))
    throw new PolicyFileError(`pattern "${pattern}": * may only follow a dot`);
  const hits = OPERATIONS.filter((op) => op.startsWith(prefix) && !SENSITIVE_OPS.has(op));
  if (hits.length === 0) throw new PolicyFileError(`pattern "${pattern}" matches no operation`);
  return hits;
}

interface CompiledRule {
  allow: boolean;
  ops: Set<string>;
  index: number;
  constraints: BodyConstraints;
}

/**
 * Parses and validates a policy file; `base` supplies constraints the file does not set.
 * @example await loadPolicyFile('version: 1\nrules:\n  - allow: [container.list]\n', base)
 */
export async function loadPolicyFile(
  text: string,
  base: BodyConstraints,
): Promise<{ profile: Profile; mode: 'enforce' | 'observe' | undefined }> {
  const { parse: parseYaml } = await import('yaml');
  const schema = await fileSchema();
  let raw: unknown;
  try {
    raw = parseYaml(text, { uniqueKeys: true });
  } catch (err) {
    throw new PolicyFileError(
      `not valid YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
    );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.length ? first.path.join('.') : '(top level)';
    throw new PolicyFileError(`${where}: ${first?.message ?? 'invalid'}`);
  }
  const doc = parsed.data;
  const defaults = stripUndefined({ ...base, ...doc.defaults });
  const rules: CompiledRule[] = doc.rules.map((rule, index) => {
    const patterns = rule.allow ?? rule.deny ?? [];
    const ops = new Set<string>();
    for (const p of patterns) {
      try {
        for (const op of expand(p)) ops.add(op);
      } catch (err) {
        throw new PolicyFileError(`rules.${index}: ${(err as Error).message}`);
      }
    }
    return {
      allow: rule.allow !== undefined,
      ops,
      index,
      constraints: stripUndefined({ ...defaults, ...rule.constraints }),
    };
  });
  const find = (op: string): CompiledRule | undefined => rules.find((r) => r.ops.has(op));
  const profile: Profile = {
    name: 'policy-file',
    constraintsFor: (op) => find(op)?.constraints ?? defaults,
    checkRoute(_method: string, match: RouteMatch): RouteVerdict {
      const rule = find(match.spec.operation);
      if (!rule)
        return {
          allow: false,
          rule: 'policy-file:default-deny',
          reason: `no rule allows ${match.spec.operation}`,
        };
      return {
        allow: rule.allow,
        rule: `policy-file:rules.${rule.index}`,
        reason: `${rule.allow ? 'allowed' : 'denied'} by rule ${rule.index}`,
      };
    },
  };
  return { profile, mode: doc.mode };
}

function stripUndefined<T extends object>(o: T): BodyConstraints {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined),
  ) as unknown as BodyConstraints;
}
