/**
 * Snowflake's fixed-position numeric format models, for TO_CHAR / TO_VARCHAR of a NUMBER or
 * FLOAT with a format ("SQL format models", https://docs.snowflake.com/sql-reference/sql-format-models).
 *
 * Contract: compileNumberFormat reads a format once; formatScaled / formatFloat print values.
 * Elements (case-insensitive): 9 (a digit; a leading zero prints as a blank), 0 (a digit;
 * leading zeros print from the leftmost 0 on), . or D (the decimal point), , or G (a group
 * separator, blank until a digit precedes it), $ (a dollar sign just before the first digit),
 * S (an explicit sign, + or -, at the start or the end), MI (a trailing minus, blank when
 * positive), FM (compact mode: no padding blanks, no trailing zeros in 9 positions). Text in
 * double quotes and other symbols are literals. Other letters (X, EEEE, B, V, ...) raise
 * NotSupportedError naming them. Values round half away from zero to the format's decimals.
 * Without S or MI a sign position is reserved before the number: '-' or a blank (as Oracle,
 * whose format models Snowflake's follow). A zero value prints 0 in the units position; other
 * values below 1 leave integer 9 positions blank. A value with more integer digits than the
 * format has positions prints as '#' in every position.
 */
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import { pow10n, roundDivBig } from './decimal.js';
import { clipValue } from '../../../storage/errors/clip-value.js';

type Token =
  | { kind: 'digit'; zero: boolean; fraction: boolean }
  | { kind: 'point' }
  | { kind: 'group' }
  | { kind: 'dollar' }
  | { kind: 'sign'; trailing: boolean }
  | { kind: 'minus' }
  | { kind: 'literal'; text: string };

export type NumberFormat = {
  readonly text: string;
  readonly tokens: readonly Token[];
  readonly compact: boolean;
  /** Digit positions after the decimal point. */
  readonly decimals: number;
  /** Digit positions before it. */
  readonly positions: number;
};

const cache = new Map<string, NumberFormat>();

export function compileNumberFormat(text: string): NumberFormat {
  const hit = cache.get(text);
  if (hit) return hit;
  const upper = text.toUpperCase();
  const tokens: Token[] = [];
  let compact = false;
  let seenPoint = false;
  let decimals = 0;
  let positions = 0;
  let i = 0;
  const previousIsDigit = (): boolean => tokens.length > 0 && tokens[tokens.length - 1].kind === 'digit';
  while (i < text.length) {
    const c = upper[i];
    const next = upper[i + 1];
    if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < text.length && !(text[j] === '"' && text[j + 1] !== '"')) {
        s += text[j];
        j += text[j] === '"' ? 2 : 1;
      }
      tokens.push({ kind: 'literal', text: s });
      i = j + 1;
      continue;
    }
    if (c === '9' || c === '0') {
      tokens.push({ kind: 'digit', zero: c === '0', fraction: seenPoint });
      if (seenPoint) decimals++;
      else positions++;
      i++;
      continue;
    }
    if ((c === '.' || c === 'D') && !seenPoint && (previousIsDigit() || next === '9' || next === '0')) {
      tokens.push({ kind: 'point' });
      seenPoint = true;
      i++;
      continue;
    }
    if ((c === ',' || c === 'G') && !seenPoint && previousIsDigit()) {
      tokens.push({ kind: 'group' });
      i++;
      continue;
    }
    if (c === 'F' && next === 'M') {
      compact = true;
      i += 2;
      continue;
    }
    if (c === 'M' && next === 'I') {
      tokens.push({ kind: 'minus' });
      i += 2;
      continue;
    }
    if (c === 'S') {
      tokens.push({ kind: 'sign', trailing: tokens.some((t) => t.kind === 'digit') });
      i++;
      continue;
    }
    if (c === '$') {
      tokens.push({ kind: 'dollar' });
      i++;
      continue;
    }
    if (c >= 'A' && c <= 'Z') {
      const run = /^[A-Z]+/.exec(upper.slice(i))![0];
      throw new NotSupportedError(`The number format element '${clipValue(run)}' (in '${clipValue(text)}')`);
    }
    tokens.push({ kind: 'literal', text: text[i] });
    i++;
  }
  const format = { text, tokens, compact, decimals, positions };
  if (cache.size > 256) cache.clear();
  cache.set(text, format);
  return format;
}

/** A NUMBER (scaled integer at `scale`) printed with the format. */
export function formatScaled(format: NumberFormat, scaled: bigint, scale: number): string {
  const d = format.decimals;
  const rounded = d >= scale ? scaled * pow10n(d - scale) : roundDivBig(scaled, pow10n(scale - d));
  const negative = rounded < 0n;
  const digits = (negative ? -rounded : rounded).toString().padStart(d + 1, '0');
  return render(format, negative, digits.slice(0, digits.length - d), digits.slice(digits.length - d));
}

/** A FLOAT printed with the format; NaN and infinities do not fit and print as '#'. */
export function formatFloat(format: NumberFormat, x: number): string {
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21) return overflow(format);
  // toFixed rounds half away from zero on the exact binary value.
  const text = x.toFixed(format.decimals);
  const negative = text.startsWith('-') && /[1-9]/.test(text);
  const body = text.replace('-', '');
  const dot = body.indexOf('.');
  return render(format, negative, dot < 0 ? body : body.slice(0, dot), dot < 0 ? '' : body.slice(dot + 1));
}

/** '#' in the sign position and every element's position; literals stay. */
function overflow(format: NumberFormat): string {
  let out = format.tokens.some((t) => t.kind === 'sign' || t.kind === 'minus') ? '' : '#';
  for (const t of format.tokens) out += t.kind === 'literal' ? t.text : '#';
  return out;
}

/** Prints unsigned integer and fraction digit strings into the format's positions. */
function render(format: NumberFormat, negative: boolean, integer: string, fraction: string): string {
  const zeroValue = /^0*$/.test(integer) && /^0*$/.test(fraction);
  let intDigits = integer.replace(/^0+/, '');
  if (zeroValue && format.positions > 0) intDigits = '0';
  if (intDigits.length > format.positions) return overflow(format);
  const compact = format.compact;
  const explicitSign = format.tokens.some((t) => t.kind === 'sign' || t.kind === 'minus');
  let firstZero = format.positions;
  let p = 0;
  for (const t of format.tokens) {
    if (t.kind !== 'digit' || t.fraction) continue;
    if (t.zero) {
      firstZero = p;
      break;
    }
    p++;
  }
  // Fraction digits that compact mode drops: trailing zeros in 9 positions.
  const fractionTokens = format.tokens.filter((t): t is Extract<Token, { kind: 'digit' }> => t.kind === 'digit' && t.fraction);
  let keepFraction = fractionTokens.length;
  if (compact) while (keepFraction > 0 && !fractionTokens[keepFraction - 1].zero && fraction[keepFraction - 1] === '0') keepFraction--;
  const dollar = format.tokens.some((t) => t.kind === 'dollar');
  // The sign and dollar float to just before the first printed character of the number.
  let float = (explicitSign ? '' : negative ? '-' : compact ? '' : ' ') + (dollar ? '$' : '');
  const leadingSign = format.tokens.find((t): t is Extract<Token, { kind: 'sign' }> => t.kind === 'sign' && !t.trailing);
  if (leadingSign) float = (negative ? '-' : '+') + float;
  let out = '';
  let position = 0;
  let fractionAt = 0;
  let printed = false;
  const emit = (s: string): void => {
    if (!printed && s !== ' ' && s !== '') {
      out += float;
      printed = true;
    }
    out += s;
  };
  for (const t of format.tokens) {
    switch (t.kind) {
      case 'digit': {
        if (t.fraction) {
          if (fractionAt < keepFraction) emit(fraction[fractionAt]);
          fractionAt++;
          break;
        }
        const k = position - (format.positions - intDigits.length);
        position++;
        if (k >= 0) emit(intDigits[k]);
        else if (position - 1 >= firstZero) emit('0');
        else if (!compact) out += ' ';
        break;
      }
      case 'point':
        emit('.');
        break;
      case 'group':
        if (printed) out += ',';
        else if (!compact) out += ' ';
        break;
      case 'sign':
        if (t.trailing) out += negative ? '-' : '+';
        break;
      case 'minus':
        out += negative ? '-' : compact ? '' : ' ';
        break;
      case 'dollar':
        break;
      case 'literal':
        out += t.text;
        break;
    }
  }
  if (!printed) out += float;
  return out;
}
