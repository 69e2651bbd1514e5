// Splits Docker's newline-delimited JSON streams (events, stats, pull progress) into parsed values.

/** Longest JSON line accepted from the daemon; a longer one means a broken or hostile stream. */
export const MAX_JSON_LINE_BYTES = 8 * 1024 * 1024;

/**
 * Parses a stream of JSON values separated by newlines (CRLF tolerated, blank lines skipped).
 * Lines may be split across chunks. Throws if a line exceeds {@link MAX_JSON_LINE_BYTES} or is
 * not valid JSON; a trailing line without a newline is parsed at the end of the stream.
 */
export async function* parseJsonLines(source: AsyncIterable<Uint8Array>, maxLineBytes = MAX_JSON_LINE_BYTES): AsyncGenerator<unknown> {
  let parts: Buffer[] = [];
  let partBytes = 0;
  for await (const raw of source) {
    let chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    let nl = chunk.indexOf(0x0a);
    while (nl !== -1) {
      const tail = chunk.subarray(0, nl);
      if (partBytes + tail.length > maxLineBytes) throw tooLong(maxLineBytes);
      const line = partBytes === 0 ? tail : Buffer.concat([...parts, tail], partBytes + tail.length);
      parts = [];
      partBytes = 0;
      const value = parseLine(line);
      if (value !== undefined) yield value;
      chunk = chunk.subarray(nl + 1);
      nl = chunk.indexOf(0x0a);
    }
    if (chunk.length > 0) {
      if (partBytes + chunk.length > maxLineBytes) throw tooLong(maxLineBytes);
      parts.push(chunk);
      partBytes += chunk.length;
    }
  }
  if (partBytes > 0) {
    const value = parseLine(Buffer.concat(parts, partBytes));
    if (value !== undefined) yield value;
  }
}

function parseLine(line: Buffer): unknown {
  const text = line.toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`invalid JSON line from the Docker daemon: ${text.slice(0, 120)}`, { cause: err });
  }
}

function tooLong(max: number): Error {
  return new Error(`JSON line from the Docker daemon exceeds ${max} bytes`);
}
