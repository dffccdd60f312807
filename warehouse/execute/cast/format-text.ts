/**
 * Typed value -> text, as CAST(x AS VARCHAR) and the string functions' implicit casts print
 * them. Snowflake's forms: NUMBER with all its scale digits ('12.50'), FLOAT as the shortest
 * text that reads back to the same double ('0.1', '1e+21', 'NaN', 'inf'). BOOLEAN ('true' /
 * 'false') is a two-entry dictionary in cast-vector.ts; DATE and TIMESTAMP_NTZ use
 * storage/types/value-text.ts so every tier prints them alike.
 */
import { formatDecimal } from '../../../storage/types/value-text.js';
import { POW10 } from '../functions/decimal.js';

export function formatFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return String(x);
}

/**
 * A scaled integer held exactly in a double (|v| <= 2^53) with `scale` digits after the
 * point; the same text as formatDecimal without going through BigInt.
 */
export function formatScaledF64(v: number, scale: number): string {
  if (scale === 0) return String(v === 0 ? 0 : v);
  if (scale > 15) return formatDecimal(BigInt(v), scale);
  const negative = v < 0;
  const a = negative ? -v : v;
  const unit = POW10[scale];
  const whole = Math.floor(a / unit);
  let frac = a - whole * unit;
  let w = whole;
  if (frac < 0) {
    w -= 1;
    frac += unit;
  } else if (frac >= unit) {
    w += 1;
    frac -= unit;
  }
  const fracText = String(frac).padStart(scale, '0');
  return `${negative && a !== 0 ? '-' : ''}${w}.${fracText}`;
}
