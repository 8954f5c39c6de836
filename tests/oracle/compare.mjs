// compare.mjs - how the oracles compare a medallion result with DuckDB's: values in a
// canonical form (numbers as numbers, timestamps without the 'T'/'Z' and trailing zeros),
// numbers equal within 1e-9 relative, rows as sorted multisets.
export function canon(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    // timestamps: DuckDB "2024-01-02 03:04:05.123", medallion "2024-01-02T03:04:05.123Z"
    const ts = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(\.\d+)?Z?$/.exec(v);
    if (ts) {
      const frac = (ts[3] ?? '').replace(/0+$/, '');
      return `${ts[1]} ${ts[2]}${frac === '.' ? '' : frac}`;
    }
    if (/^-?\d+(\.\d+)?$/.test(v) && v.length < 16) return Number(v);
    return v;
  }
  return String(v);
}

export function same(a, b) {
  if (a === null || b === null) return a === b;
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) && Number.isNaN(b)) return true;
    return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  }
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b) || same(Number(a), Number(b));
  return a === b;
}

export const rowKey = (row) => JSON.stringify(row.map((v) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v)));

export function sortRows(rows) {
  return [...rows].sort((x, y) => (rowKey(x) < rowKey(y) ? -1 : rowKey(x) > rowKey(y) ? 1 : 0));
}
