// IAM's policy size quotas (2,048 characters inline for users, 6,144 for managed policies …)
// count characters with the whitespace between tokens left out, but everything inside strings
// counted. This helper measures the same way so the caller can enforce LimitExceeded.

/** Length of `text` not counting JSON whitespace that lies outside string literals. */
export function policyLengthWithoutWhitespace(text: string): number {
  let count = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      count++;
      if (c === 92 /* \ */) {
        // The escaped character is part of the string whatever it is.
        if (i + 1 < text.length) {
          count++;
          i++;
        }
      } else if (c === 34 /* " */) {
        inString = false;
      }
    } else if (c === 32 || c === 9 || c === 10 || c === 13) {
      continue;
    } else {
      count++;
      if (c === 34) inString = true;
    }
  }
  return count;
}
