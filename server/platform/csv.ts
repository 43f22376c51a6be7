/**
 * RFC 4180 CSV. A cell a spreadsheet would read as a formula (=, +, -, @, tab, CR first) gets a leading
 * apostrophe: the titles are people's words, and a results file must not run anyone's formula.
 */
export function toCsv(header: string[], rows: (string | number)[][]): string {
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

function cell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
