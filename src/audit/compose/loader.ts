// Loads a compose project: discovery, .env, interpolation, override merge, extends and include (I/O injected).
import { posix } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { AuditError } from '../types.js';
import { parseDotenv } from './interpolate.js';
import { entryInfo, setEntryInfo, toLocated, type WalkContext } from './located.js';
import { isObj, mergeObjects, scalarText } from './merge.js';

/** Reads files for the loader; returns undefined when the file does not exist. The CLI passes fs. */
export interface FileReader {
  readFile(path: string): string | undefined;
}

export interface LoadOptions {
  /** Files as given (relative to cwd); empty = discover in cwd. */
  files: string[];
  cwd: string;
  /** The process environment; it wins over `.env`. */
  env: Readonly<Record<string, string | undefined>>;
  reader: FileReader;
}

/** A loaded project: the merged document, the files read (with their text) and what went wrong. */
export interface LoadedProject {
  root: Record<string, unknown>;
  files: string[];
  texts: Map<string, string>;
  errors: AuditError[];
  /** File that first declared each service. */
  serviceFiles: Map<string, string>;
  /** Directory bind-mount sources are relative to, per service. */
  serviceDirs: Map<string, string>;
}

export const COMPOSE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const OVERRIDE_NAMES: Record<string, string[]> = {
  'compose.yaml': ['compose.override.yaml', 'compose.override.yml'],
  'compose.yml': ['compose.override.yml', 'compose.override.yaml'],
  'docker-compose.yaml': ['docker-compose.override.yaml', 'docker-compose.override.yml'],
  'docker-compose.yml': ['docker-compose.override.yml', 'docker-compose.override.yaml'],
};
/** Maximum depth of `extends` chains and `include` nesting. */
export const MAX_NESTING = 10;

/** Finds the compose file and its override in `cwd` (or COMPOSE_FILE), as Compose does. */
export function discoverComposeFiles(cwd: string, env: Readonly<Record<string, string | undefined>>, reader: FileReader): string[] {
  const fromEnv = env.COMPOSE_FILE;
  if (fromEnv) return fromEnv.split(env.COMPOSE_PATH_SEPARATOR ?? ':').filter(Boolean).map((f) => posix.resolve(cwd, f));
  for (const name of COMPOSE_NAMES) {
    const path = posix.join(cwd, name);
    if (reader.readFile(path) === undefined) continue;
    const files = [path];
    for (const o of OVERRIDE_NAMES[name] ?? []) {
      const op = posix.join(cwd, o);
      if (reader.readFile(op) !== undefined) {
        files.push(op);
        break;
      }
    }
    return files;
  }
  return [];
}

interface State {
  opts: LoadOptions;
  env: Readonly<Record<string, string | undefined>>;
  out: LoadedProject;
}

/** Parses one file to located plain values; records errors. */
function parseFile(path: string, state: State): Record<string, unknown> | undefined {
  const text = state.opts.reader.readFile(path);
  if (text === undefined) {
    state.out.errors.push({ file: path, message: `cannot read ${path}` });
    return undefined;
  }
  state.out.texts.set(path, text);
  if (!state.out.files.includes(path)) state.out.files.push(path);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: true, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const pos = e.linePos?.[0];
      state.out.errors.push({ file: path, message: `invalid YAML: ${e.message.split('\n')[0] ?? e.message}`, ...(pos ? { line: pos.line, column: pos.col } : {}) });
    }
    return undefined;
  }
  const ctx: WalkContext = { file: path, doc, lineCounter, env: state.env, errors: [] };
  const { value } = toLocated(doc.contents, ctx);
  for (const e of ctx.errors) state.out.errors.push({ file: path, line: e.loc.line, column: e.loc.column, message: e.message });
  if (value === null) return {};
  if (!isObj(value)) {
    state.out.errors.push({ file: path, message: 'a compose file must be a YAML mapping' });
    return undefined;
  }
  return value;
}

/** Copies a service map without its `extends` key, keeping locations. */
function withoutExtends(svc: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(svc)) {
    if (k === 'extends') continue;
    out[k] = v;
    setEntryInfo(out, k, entryInfo(svc, k));
  }
  return out;
}

/** Returns service `name` of `doc` with its `extends` chain applied. */
function resolvedService(doc: Record<string, unknown>, file: string, name: string, state: State, depth: number): Record<string, unknown> | undefined {
  const svc = isObj(doc.services) ? doc.services[name] : undefined;
  if (!isObj(svc)) return undefined;
  const ext = svc.extends;
  if (ext === undefined) return svc;
  if (depth >= MAX_NESTING) {
    state.out.errors.push({ file, message: `service "${name}": extends nested deeper than ${MAX_NESTING} (or a loop)` });
    return withoutExtends(svc);
  }
  const baseName = typeof ext === 'string' ? ext : isObj(ext) ? scalarText(ext.service) : '';
  const baseFile = isObj(ext) && typeof ext.file === 'string' ? posix.resolve(posix.dirname(file), ext.file) : file;
  const baseDoc = baseFile === file ? doc : parseFile(baseFile, state);
  const base = baseDoc ? resolvedService(baseDoc, baseFile, baseName, state, depth + 1) : undefined;
  if (!base) {
    if (baseDoc) state.out.errors.push({ file, message: `service "${name}" extends "${baseName}", which ${baseFile} does not define` });
    return withoutExtends(svc);
  }
  return mergeObjects(withoutExtends(base), withoutExtends(svc));
}

/** Resolves `extends` of every service in `doc` (declared in `file`). */
function resolveExtends(doc: Record<string, unknown>, file: string, state: State): void {
  const services = doc.services;
  if (!isObj(services)) return;
  const resolved = Object.keys(services).map((name) => [name, resolvedService(doc, file, name, state, 0)] as const);
  for (const [name, svc] of resolved) if (svc) services[name] = svc;
}

/** Loads one file plus its `include`s, merged; `dir` is the project directory of that file. */
function loadTree(path: string, state: State, depth: number): Record<string, unknown> | undefined {
  const doc = parseFile(path, state);
  if (!doc) return undefined;
  resolveExtends(doc, path, state);
  noteServices(doc, path, state);
  let result = doc;
  const include = doc.include;
  if (Array.isArray(include)) {
    if (depth >= MAX_NESTING) {
      state.out.errors.push({ file: path, message: `include nested deeper than ${MAX_NESTING}` });
      return doc;
    }
    for (const item of include) {
      const paths = typeof item === 'string' ? [item] : isObj(item) ? (Array.isArray(item.path) ? item.path.map(String) : [scalarText(item.path)]) : [];
      for (const p of paths.filter(Boolean)) {
        const sub = loadTree(posix.resolve(posix.dirname(path), p), state, depth + 1);
        // Included resources are added; the including file wins on conflicts.
        if (sub) result = mergeObjects({ services: sub.services ?? {}, networks: sub.networks ?? {}, volumes: sub.volumes ?? {} }, result);
      }
    }
  }
  return result;
}

function noteServices(doc: Record<string, unknown>, path: string, state: State): void {
  if (!isObj(doc.services)) return;
  for (const name of Object.keys(doc.services)) {
    if (!state.out.serviceFiles.has(name)) {
      state.out.serviceFiles.set(name, path);
      state.out.serviceDirs.set(name, posix.dirname(path));
    }
  }
}

/** Loads and merges a compose project. Pure apart from `opts.reader`. */
export function loadCompose(opts: LoadOptions): LoadedProject {
  const out: LoadedProject = { root: {}, files: [], texts: new Map(), errors: [], serviceFiles: new Map(), serviceDirs: new Map() };
  const cwd = posix.resolve('/', opts.cwd);
  const dotenvText = opts.reader.readFile(posix.join(opts.files[0] ? posix.dirname(posix.resolve(cwd, opts.files[0])) : cwd, '.env'));
  const env = { ...(dotenvText === undefined ? {} : parseDotenv(dotenvText)), ...opts.env };
  const files = opts.files.length ? opts.files.map((f) => posix.resolve(cwd, f)) : discoverComposeFiles(cwd, env, opts.reader);
  if (files.length === 0) {
    out.errors.push({ message: `no compose file found in ${cwd} (looked for ${COMPOSE_NAMES.join(', ')})` });
    return out;
  }
  const state: State = { opts, env, out };
  let root: Record<string, unknown> = {};
  for (const f of files) {
    const tree = loadTree(f, state, 0);
    if (tree) root = mergeObjects(root, tree);
  }
  out.root = root;
  return out;
}
