// The AWS JSON 1.1 protocol's error form: `{"__type": code, "message": …}` plus the
// x-amzn-ErrorType header, which is where the SDKs and the CLI read the error code.
import type { ServerResponse } from 'node:http';

export function sendJsonError(res: ServerResponse, status: number, code: string, message: string, requestId: string): void {
  res
    .writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-errortype': code,
      'x-amzn-requestid': requestId,
    })
    .end(JSON.stringify({ __type: code, message, Message: message }));
}
