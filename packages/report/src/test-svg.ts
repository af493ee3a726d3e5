// Checks on generated SVG text shared by the sweep tests.

const COORDINATE_ATTRIBUTES = ['points', 'd', 'x', 'y', 'x1', 'y1', 'x2', 'y2', 'cx', 'cy', 'r', 'width', 'height', 'viewBox', 'stroke-width', 'stroke-opacity'];

/** Every number-bearing attribute value in the SVG parts of `html`, by attribute name. */
export function svgAttributeValues(html: string): { name: string; value: string }[] {
  const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
  const pattern = new RegExp(`\\s(${COORDINATE_ATTRIBUTES.join('|')})="([^"]*)"`, 'g');
  return svgs.flatMap((svg) => [...svg.matchAll(pattern)].map((m) => ({ name: m[1]!, value: m[2]! })));
}

/** The attribute values that hold something other than finite numbers (path commands aside). */
export function badCoordinates(html: string): string[] {
  const bad: string[] = [];
  for (const { name, value } of svgAttributeValues(html)) {
    const tokens = value
      .replace(/[MLHVZCSQTA]/gi, ' ')
      .split(/[\s,]+/)
      .filter((t) => t !== '');
    if (tokens.length === 0 || tokens.some((t) => !Number.isFinite(Number(t)))) bad.push(`${name}="${value}"`);
  }
  return bad;
}
