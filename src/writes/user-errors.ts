import type { UserErrorModel } from '../core/contract.js';

/** Builds a userError; `field` is the input path, the message should quote the offending value. */
export function userError(field: string[] | null, message: string, code = 'VALIDATION'): UserErrorModel {
  return { field, message, code };
}

/** A payload that changed nothing. */
export const rejected = (...userErrors: UserErrorModel[]) => ({ entry: null, userErrors });
