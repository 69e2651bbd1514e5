// A windowed list: only the rows in view (plus a margin) are rendered, so 2,000+ rows scroll smoothly.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';

/** Rows rendered above and below the visible window. */
const OVERSCAN = 8;

export interface VirtualListProps<T> {
  items: readonly T[];
  /** Fixed row height in pixels (must match the row CSS). */
  rowHeight: number;
  /** Renders the cells of one row (the list renders and positions the row element). */
  renderRow: (item: T, index: number) => ReactNode;
  rowKey: (item: T) => string;
  className?: string;
  /** Row class (positioned absolutely by the list). */
  rowClassName: string;
  rowProps?: (item: T) => Record<string, string | undefined>;
  testId?: string;
}

/**
 * Renders the visible slice of `items` inside a scrolling body. React applies `style` through the CSSOM, which
 * the CSP's style-src 'self' allows (it refuses style attributes parsed from markup and <style> elements).
 */
export function VirtualList<T>({ items, rowHeight, renderRow, rowKey, className, rowClassName, rowProps, testId }: VirtualListProps<T>) {
  const body = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const frame = useRef(0);

  const onScroll = useCallback(() => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => setScrollTop(body.current?.scrollTop ?? 0));
  }, []);

  useEffect(() => {
    const el = body.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => {
      ro.disconnect();
      cancelAnimationFrame(frame.current);
    };
  }, []);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    const item = items[i] as T;
    rows.push(
      <div
        key={rowKey(item)}
        className={rowClassName}
        role="row"
        aria-rowindex={i + 2}
        style={{ transform: `translateY(${i * rowHeight}px)` }}
        {...rowProps?.(item)}
      >
        {renderRow(item, i)}
      </div>,
    );
  }

  return (
    <div ref={body} className={`vt-body ${className ?? ''}`} onScroll={onScroll} data-testid={testId} role="rowgroup">
      <div className="vt-spacer" style={{ height: `${items.length * rowHeight}px` }}>
        {rows}
      </div>
    </div>
  );
}
