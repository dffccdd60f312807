/**
 * The error of a `$name` the session has no variable for, as Snowflake words it (002211, 02000):
 * "Session variable '$NAME' does not exist", with the line and position where it was written.
 * Raised by the engine when it puts the session's values into a statement
 * (services/session/session-variables.ts) and, should one reach it, by the binder.
 */
import { CompilationError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import type { VariableRef } from '../sql/ast.js';

export function variableNotFound(ref: VariableRef): CompilationError {
  return new CompilationError('VARIABLE_NOT_FOUND', `SQL compilation error: error line ${ref.line} at position ${ref.column}\nSession variable '$${clipValue(ref.name)}' does not exist`);
}
