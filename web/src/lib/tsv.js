// Tab-separated text for the "TSV" buttons: a header line, one line per row, NA for missing numbers.
// Tabs and line breaks inside values become spaces so every line has the header's number of fields.

export function formatCell(value) {
  if (value === null || value === undefined) return 'NA';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NA';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return String(value).replace(/[\t\r\n]+/g, ' ');
}

// columns: [{ name, values }] of equal length.
export function columnsToTsv(columns) {
  const n = columns.length ? columns[0].values.length : 0;
  for (const c of columns) {
    if (c.values.length !== n) throw new Error(`TSV column ${c.name} has ${c.values.length} values, expected ${n}`);
  }
  const lines = [columns.map((c) => formatCell(c.name)).join('\t')];
  for (let i = 0; i < n; i++) lines.push(columns.map((c) => formatCell(c.values[i])).join('\t'));
  return lines.join('\n') + '\n';
}

export function rowsToTsv(header, rows) {
  return [header, ...rows].map((row) => row.map(formatCell).join('\t')).join('\n') + '\n';
}
