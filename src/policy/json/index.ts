// Public face of the Go-faithful JSON toolkit used by body inspection.
export { parseGoJson, MAX_JSON_DEPTH, showKey, type GoJsonResult } from './parse.js';
export { goFold, getField, findEntry } from './fold.js';
export { serializeJson, type KeySchema, type SerializeOptions } from './serialize.js';
export { isArray, isNumber, isObject, type JsonNumber, type JsonObject, type JsonValue } from './value.js';
