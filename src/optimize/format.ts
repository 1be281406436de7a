/** Number formatting for messages. */

/** A number for a message: 6 significant digits without trailing zeros (0.30000000000000004 -> "0.3"). */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  return Number(x.toPrecision(6)).toString();
}
