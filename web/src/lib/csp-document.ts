// Lets xterm.js run without 'unsafe-inline' style: under the CSP (style-src 'self') the text of <style> elements
// and style attributes written as markup are refused, while constructed stylesheets and the CSSOM are allowed. So each
// <style> becomes a hidden element backed by a constructed stylesheet, and setAttribute('style', …) goes through the CSSOM.

const TAG = 'pc-style-sheet';
// The prototype's method: the document's own createElement is the rewrite below while a terminal is mounted.
const nativeCreate = (doc: Document, tag: string, opts?: ElementCreationOptions): HTMLElement => Document.prototype.createElement.call(doc, tag, opts);

function styleShim(doc: Document): HTMLElement {
  const el = nativeCreate(doc, TAG);
  el.hidden = true;
  const sheet = new CSSStyleSheet();
  let text = '';
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  Object.defineProperty(el, 'textContent', {
    configurable: true,
    get: () => text,
    set: (v: string | null) => {
      text = v ?? '';
      sheet.replaceSync(text);
    },
  });
  const remove = el.remove.bind(el);
  el.remove = () => {
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
    remove();
  };
  return el;
}

/** An element whose style attribute is written through the CSSOM (xterm colours cells with setAttribute('style', …)). */
function cssomStyled<E extends Element>(el: E): E {
  const set = el.setAttribute.bind(el);
  el.setAttribute = (name: string, value: string) => {
    if (name.toLowerCase() === 'style' && el instanceof HTMLElement) el.style.cssText = value;
    else set(name, value);
  };
  return el;
}

/** createElement with both rewrites above. */
function safeCreate(doc: Document): Document['createElement'] {
  return ((tag: string, opts?: ElementCreationOptions) =>
    tag.toLowerCase() === 'style' ? styleShim(doc) : cssomStyled(nativeCreate(doc, tag, opts)));
}

let installed = 0;

/**
 * Rewrites doc.createElement as above until the returned function is called (calls nest). xterm 6 creates elements
 * from the global document at render time (its row factory) and even ignores documentOverride for its viewport, so
 * the rewrite is installed on the document itself while a terminal is mounted. For anything else it changes nothing
 * observable: a style attribute set through the CSSOM has the same effect.
 * @example const uninstall = installCspSafeDocument(document); …; term.dispose(); uninstall();
 */
export function installCspSafeDocument(doc: Document): () => void {
  if (installed++ === 0) Object.defineProperty(doc, 'createElement', { value: safeCreate(doc), configurable: true, writable: true });
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (--installed === 0) delete (doc as unknown as Record<string, unknown>).createElement;
  };
}
