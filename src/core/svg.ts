/** SVG text helpers shared by every figure (pure). */

/** `text` safe inside an SVG/XML element or a double-quoted attribute. */
export const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A `<text>` element at (x, y) in user units (one decimal), its content escaped; `attrs` as written. */
export const svgText = (x: number, y: number, content: string, attrs = ''): string =>
  `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}"${attrs ? ` ${attrs}` : ''}>${escapeXml(content)}</text>`;
