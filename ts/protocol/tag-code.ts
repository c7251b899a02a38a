// The tags hash code a ConsumeQueue unit carries and a pull filter compares:
// Java `String.hashCode()` of the whole TAGS value, an int32 (sign-extended by the store). Depends on nothing.

/** Java `String.hashCode()`: over UTF-16 code units, with int32 overflow; JS strings are UTF-16 already. */
export function javaStringHashCode(value: string): number {
  let hash = 0;
  for (let i = 0; i < value.length; i++) {
    hash = (Math.imul(hash, 31) + value.charCodeAt(i)) | 0;
  }
  return hash;
}

/** `tagsString2tagsCode`: the hash of the whole TAGS value; 0 for no tags. */
export function tagsCode(tags: string | undefined): number {
  return tags === undefined || tags.length === 0 ? 0 : javaStringHashCode(tags);
}
