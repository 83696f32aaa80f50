/**
 * RFC 4180 CSV: CRLF line ends, a field is quoted when it holds a comma, a double quote, CR or LF, and a
 * quote inside a quoted field is doubled.
 */

/** A cell value: strings as they are, numbers in JS notation, null/undefined as an empty field. */
export type CsvCell = string | number | boolean | null | undefined;

/** Quotes one field when RFC 4180 requires it. */
function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'string' ? value : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Serialises rows (the first usually the header) to CSV text ending in CRLF. */
export function toCsv(rows: CsvCell[][]): string {
  return rows.map((r) => r.map(csvField).join(',') + '\r\n').join('');
}

/**
 * Spreadsheet formula guard for free text (names, labels): a leading `=`, `+`, `-`, `@`, tab or CR would
 * make Excel or LibreOffice run the cell as a formula, so such text gets a leading `'`.
 */
export function safeText(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}
