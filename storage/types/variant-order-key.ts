/**
 * The order of VARIANT values (and OBJECT, ARRAY) as a text key: `variantOrderKey(a) <
 * variantOrderKey(b)` (JavaScript string order, what every Firn sort compares) exactly when a
 * sorts before b. ORDER BY, window ORDER BY, WITHIN GROUP and `<` `<=` `>` `>=` between two
 * VARIANTs compare these keys (the binder wraps the value in `$variant_order_key`).
 *
 * The order, as Snowflake documents it where it does: values of one kind by value: numbers
 * numerically whatever their form (INTEGER, DECIMAL, DOUBLE: 1.5 = 1.50 = 1.5e0; -Infinity
 * lowest, then Infinity, NaN highest, as Snowflake orders FLOAT), strings by character (as
 * VARCHAR), FALSE < TRUE, arrays element by element then the shorter first, objects by their
 * sorted keys, pair by pair (a smaller key first, then the value), then the one with fewer keys
 * first. Snowflake leaves the order across kinds unspecified ("not guaranteed to be
 * consistent"); Firn's is fixed: numbers < strings < booleans < arrays < objects < JSON null <
 * an array's SQL NULL element (`undefined`).
 *
 * Encoding (each part self-delimiting, so a composite's parts compare in turn): a kind letter
 * B..H, then the body. A number: its sign class (1 -Infinity, 2 negative, 3 zero, 4 positive,
 * 5 Infinity, 6 NaN); a positive number then its decimal exponent (value = 0.d1d2... x 10^e)
 * as 6 digits offset by 500000 and its significant digits ended by '!' (below every digit); a
 * negative number the exponent mirrored and the digits complemented (9 - d) ended by '~'
 * (above every digit), so a longer magnitude sorts first. A string: its characters, U+0000 and
 * U+0001 escaped as U+0001 U+0001 / U+0001 U+0002, ended by U+0000. A boolean: 0 or 1. An
 * array: its elements, then U+0000. An object: 'K', key and value per member, then U+0000.
 */
import { arrayElements, objectEntries, stringValue } from './variant-json.js';

const NUMBER = 'B';
const STRING = 'C';
const BOOLEAN = 'D';
const ARRAY = 'E';
const OBJECT = 'F';
const JSON_NULL = 'G';
const UNDEFINED = 'H';
const END = '\u0000';
const EXPONENT_OFFSET = 500_000;

/** The order key of a canonical VARIANT text (variant-json.ts). */
export function variantOrderKey(t: string): string {
  switch (t[0]) {
    case '{':
      return OBJECT + objectEntries(t).map(([k, v]) => `K${stringKey(k)}${variantOrderKey(v)}`).join('') + END;
    case '[':
      return ARRAY + arrayElements(t).map(variantOrderKey).join('') + END;
    case '"':
      return STRING + stringKey(stringValue(t));
    case 't':
      return `${BOOLEAN}1`;
    case 'f':
      return `${BOOLEAN}0`;
    case 'n':
      return JSON_NULL;
    case 'u':
      return UNDEFINED;
    default:
      return NUMBER + numberKey(t);
  }
}

function stringKey(s: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 1) continue;
    out += s.slice(from, i) + (c === 0 ? '\u0001\u0001' : '\u0001\u0002');
    from = i + 1;
  }
  return out + s.slice(from) + END;
}

function numberKey(t: string): string {
  if (t === 'NaN') return '6';
  if (t === 'Infinity') return '5';
  if (t === '-Infinity') return '1';
  const negative = t[0] === '-';
  let s = negative ? t.slice(1) : t;
  let exponent = 0;
  const e = s.search(/[eE]/);
  if (e >= 0) {
    exponent = Number(s.slice(e + 1));
    s = s.slice(0, e);
  }
  const dot = s.indexOf('.');
  const whole = dot < 0 ? s : s.slice(0, dot);
  let digits = whole + (dot < 0 ? '' : s.slice(dot + 1));
  // value = 0.digits x 10^point
  let point = whole.length + exponent;
  let lead = 0;
  while (lead < digits.length && digits[lead] === '0') lead++;
  point -= lead;
  digits = digits.slice(lead).replace(/0+$/, '');
  if (digits === '') return '3';
  if (!negative) return `4${String(EXPONENT_OFFSET + point).padStart(6, '0')}${digits}!`;
  let complement = '';
  for (let i = 0; i < digits.length; i++) complement += String(9 - (digits.charCodeAt(i) - 48));
  return `2${String(EXPONENT_OFFSET - point).padStart(6, '0')}${complement}~`;
}
