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
