// WorkMail's password policy for directory users (CreateUser, ResetPassword): 8 to 63
// characters drawn from at least three of the four classes: upper-case letters, lower-case
// letters, digits, and everything else. The model only bounds the wire value (up to 256
// characters of U+0020..U+00FF); the policy is WorkMail's own, enforced before hashing.
import { InvalidPassword } from './errors.ts';

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 63;

// Letters outside ASCII count in their case class (é is lower case), as the directory counts them.
const CLASSES = [/\p{Lu}/u, /\p{Ll}/u, /\p{Nd}/u, /[^\p{Lu}\p{Ll}\p{Nd}]/u];

/** WorkMail's description of the exception, which is all it tells the caller. */
const MESSAGE = "The supplied password doesn't match the minimum security constraints, such as length or use of special characters.";

export function checkPassword(password: string): void {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH) throw new InvalidPassword(MESSAGE);
  const classes = CLASSES.filter((pattern) => pattern.test(password)).length;
  if (classes < 3) throw new InvalidPassword(MESSAGE);
}
