// Inline suppressions (`# portcullis-ignore EXP-001: reason`) and baseline files.

/** One inline suppression comment. */
export interface InlineIgnore {
  rules: string[];
  reason: string;
}

const IGNORE = /#\s*portcullis-ignore\s+((?:[A-Z]+-\d{3})(?:\s*,\s*[A-Z]+-\d{3})*)\s*(?::\s*(.*?))?\s*$/;

/**
 * Maps each line to the suppressions that apply to it. A comment at the end of a line covers that
 * line; a comment on a line of its own covers the next non-blank, non-comment line.
 */
export function inlineSuppressions(text: string): Map<number, InlineIgnore[]> {
  const out = new Map<number, InlineIgnore[]>();
  const lines = text.split(/\r?\n/);
  let pending: InlineIgnore[] = [];
  lines.forEach((line, i) => {
    const lineNo = i + 1;
    const trimmed = line.trim();
    const m = IGNORE.exec(line);
    const own = m ? { rules: (m[1] ?? '').split(/\s*,\s*/), reason: (m[2] ?? '').trim() || 'no reason given' } : undefined;
    if (trimmed === '' || (trimmed.startsWith('#') && !own)) return;
    if (trimmed.startsWith('#') && own) {
      pending.push(own);
      return;
    }
    const here = [...pending, ...(own ? [own] : [])];
    if (here.length) out.set(lineNo, here);
    pending = [];
  });
  return out;
}

/** Reads a baseline: either `{"fingerprints": [...]}` or a Portcullis JSON report (its findings' ids). */
export function parseBaseline(text: string): Set<string> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`baseline is not JSON: ${(err as Error).message}`);
  }
  const ids = new Set<string>();
  if (doc && typeof doc === 'object') {
    const d = doc as { fingerprints?: unknown; findings?: unknown };
    if (Array.isArray(d.fingerprints)) for (const f of d.fingerprints) if (typeof f === 'string') ids.add(f);
    if (Array.isArray(d.findings)) {
      for (const f of d.findings) {
        const id = (f as { id?: unknown }).id;
        if (typeof id === 'string') ids.add(id);
      }
    }
    if (!Array.isArray(d.fingerprints) && !Array.isArray(d.findings)) throw new Error('baseline has neither "fingerprints" nor "findings"');
  }
  return ids;
}
