import type { CellValue } from '../../common/protocol.js';

/** The `{name}` placeholders of a message template, in order, each once. */
export function placeholders(template: string): string[] {
  return [
    ...new Set([...template.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1] ?? '')),
  ];
}

/**
 * The template with each `{name}` replaced by `values[name]` (numbers as they are, objects as
 * JSON); a placeholder with no value is left as written, so the mistake shows.
 */
export function fillMessage(
  template: string,
  values: Readonly<Record<string, CellValue | undefined>>,
): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined) return whole;
    if (value === null) return 'null';
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}
