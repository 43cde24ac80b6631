// Assertions shared by the SDK-driven suites.
import assert from 'node:assert/strict';

/** Asserts that `promise` fails with this AWS wire error code, HTTP status and (when given) message. */
export async function rejectsWith(promise: Promise<unknown>, code: string, status: number, message?: string | RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error & { Code?: string; $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.Code, code, error.message);
    assert.equal(error.$metadata?.httpStatusCode, status);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message, message);
    return true;
  });
}

/**
 * Asserts a WorkMail (AWS JSON) error: the SDK names the error after its `__type`; WorkMail
 * answers 400 for everything but access denials.
 */
export async function rejectsWithWorkMail(promise: Promise<unknown>, name: string, message?: RegExp | string, status = 400): Promise<void> {
  await assert.rejects(promise, (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.name, name, error.message);
    assert.equal(error.$metadata?.httpStatusCode, status);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message, message);
    return true;
  });
}
