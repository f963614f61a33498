/** Mongo ObjectIds, as Laurel uses them for every id. */

const OBJECT_ID_RE = /^[0-9a-fA-F]{24}$/;

export function isObjectId(value: string): boolean {
  return OBJECT_ID_RE.test(value);
}

/** The creation instant an ObjectId embeds in its first 4 bytes (second precision), as epoch ms. */
export function objectIdTimeMs(id: string): number {
  return parseInt(id.slice(0, 8), 16) * 1000;
}
