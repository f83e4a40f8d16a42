/**
 * Field builders of the spec's schema (zod), each failing with a message that says what the field is, and how a
 * message quotes a value.
 */
import { z } from 'zod';
import type { ParameterRow } from './parameters';

/** A finite number; `what` names the field in the message. */
export const finite = (what: string) => z.number({ error: `must be a finite number (${what})` });

/** A top-level setting of a parameter row, within the row's range. */
export function setting(row: ParameterRow) {
  let schema = finite(row.label);
  if (row.min !== undefined) schema = schema.min(row.min, { error: `must be ≥ ${row.min} (${row.label})` });
  if (row.below !== undefined) schema = schema.lt(row.below, { error: `must be < ${row.below} (${row.label})` });
  return schema.optional();
}

/** A list of two finite numbers. */
export const pair = (what: string) => z.tuple([finite(what), finite(what)], { error: `must be a list of two finite numbers (${what})` });

/** An unsigned 32-bit seed. */
export const seedSchema = z.number({ error: 'must be an integer from 0 to 4294967295' }).int({ error: 'must be an integer from 0 to 4294967295' })
  .min(0, { error: 'must be an integer from 0 to 4294967295' }).max(0xffffffff, { error: 'must be an integer from 0 to 4294967295' });

/** An integer from 1 to `max`. */
export const size = (max: number, what: string) => z.number({ error: `must be an integer from 1 to ${max} (${what})` }).int({ error: `must be an integer from 1 to ${max} (${what})` })
  .min(1, { error: `must be an integer from 1 to ${max} (${what})` }).max(max, { error: `must be an integer from 1 to ${max} (${what})` });

/** Longest echo of a value in a message; longer ones are cut with their length said. */
const ECHO_CHARACTERS = 80;

/** A value as a message quotes it: numbers too large for float64 by name, long values cut. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return Number.isNaN(value) ? 'NaN' : `${value > 0 ? '' : '−'}a number beyond float64's range (|x| > 1.8e308)`;
  }
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > ECHO_CHARACTERS ? `${text.slice(0, ECHO_CHARACTERS)}… (${text.length.toLocaleString('en-US')} characters)` : text;
}
