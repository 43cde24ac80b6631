// The AWS API door: one HTTP port for every AWS service Godwit speaks, told apart as AWS
// clients tell them apart: `X-Amz-Target` for JSON services, `Action` + `Version` for Query
// services. Every request is verified (SigV4), its principal resolved, its input decoded and
// validated from the service model, and authorized through Identity.authorize before its
// handler runs.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DomainError, InvalidAction, ValidationError } from '../errors.ts';
import { awsWireError, internalFailure } from './errors.ts';
import type { Identity } from '../iam/identity.ts';
import { newRequestId } from '../iam/ids.ts';
import type { SecretBox } from '../security/secret-box.ts';
import type { Logger } from '../log/logger.ts';
import { logEvent } from '../log/logger.ts';
import type { Clock } from '../clock.ts';
import type { Config } from '../config/config.ts';
import type { Db } from '../store/database.ts';
import type { ApiContext, ApiOperation } from '../api/operation.ts';
import { readBody } from './body.ts';
import type { ServiceModel } from './model.ts';
import { decodeQueryInput, parseQueryParams, queryErrorXml, queryResponseXml } from './query.ts';
import { SigV4Error, verifySigV4, type VerifiedIdentity } from './sigv4.ts';
import { validateInput, validationMessage } from './validate.ts';
import { sendJsonError } from './json11.ts';
import { decodeJsonInput, encodeJsonOutput, parseJsonBody } from './json-codec.ts';
import { checkOutput } from './output-check.ts';

export interface QueryService {
  /** SigV4 signing name and IAM action prefix, e.g. 'iam'. */
  name: string;
  version: string;
  model: ServiceModel;
  operations: ReadonlyMap<string, ApiOperation>;
}

export interface JsonService {
  name: string;
  /** X-Amz-Target prefix, e.g. 'WorkMailService'. */
  targetPrefix: string;
  /** The code the service answers a model-validation failure with (WorkMail: InvalidParameterException). */
  validationErrorCode: string;
  model: ServiceModel;
  operations: ReadonlyMap<string, ApiOperation>;
}

export interface RouterDeps {
  config: Config;
  db: Db;
  box: SecretBox;
  identity: Identity;
  clock: Clock;
  logger: Logger;
  region: string;
  clockSkewSeconds: number;
  maxBodyBytes: number;
  queryServices: QueryService[];
  jsonServices: JsonService[];
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const UNSIGNED_STS_ACTIONS = new Set(['AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity']);

export function createApiRouter(deps: RouterDeps): Handler {
  const byVersion = new Map(deps.queryServices.map((s) => [s.version, s]));
  const byQueryName = new Map(deps.queryServices.map((s) => [s.name, s]));
  const byTarget = new Map(deps.jsonServices.map((s) => [s.targetPrefix, s]));
  const allServices = [...deps.queryServices.map((s) => s.name), ...deps.jsonServices.map((s) => s.name)];

  return (req, res) => {
    const requestId = newRequestId();
    const started = process.hrtime.bigint();
    void handle(req, res, requestId).catch((error) => {
      logEvent(deps.logger, 'request.failed', { requestId, error: String(error) }, 'error');
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
      }
    }).finally(() => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      deps.logger.debug({ event: 'request.completed', requestId, status: res.statusCode, ms });
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const rawPath = queryAt < 0 ? url : url.slice(0, queryAt);
    const rawQuery = queryAt < 0 ? '' : url.slice(queryAt + 1);

    if (req.method === 'GET' && rawPath === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }

    const target = header(req, 'x-amz-target');
    const jsonService = target ? byTarget.get(target.split('.')[0]!) : undefined;
    let body: Buffer;
    try {
      body = await readBody(req, deps.maxBodyBytes);
    } catch (error) {
      return replyError(res, error, requestId, jsonService, undefined);
    }

    if (target) {
      if (!jsonService) {
        return sendJsonError(res, 400, 'UnknownOperationException', `Unknown target ${target}.`, requestId);
      }
      return handleJson(req, res, requestId, jsonService, target.slice(target.indexOf('.') + 1), body, rawPath, rawQuery);
    }
    return handleQuery(req, res, requestId, body, rawPath, rawQuery);
  }

  async function authenticate(req: IncomingMessage, body: Buffer, rawPath: string, rawQuery: string, services: readonly string[]) {
    const now = deps.clock.now();
    let resolved: Awaited<ReturnType<Identity['resolveKey']>> = null;
    const verified: VerifiedIdentity = await verifySigV4(
      { method: req.method ?? 'GET', rawPath, rawQuery, headers: req.headersDistinct, bodySha256Hex: createHash('sha256').update(body).digest('hex') },
      {
        now,
        clockSkewSeconds: deps.clockSkewSeconds,
        region: deps.region,
        services,
        lookupSecret: async (accessKeyId) => (resolved = await deps.identity.resolveKey(accessKeyId)),
      },
    );
    const principal = resolved!.principal;
    deps.identity.usage.note(verified.accessKeyId, now, verified.service, verified.region);
    // aws:SecureTransport is true for requests that came over the HTTPS listener.
    const facts = { sourceIp: sourceIp(req), secureTransport: (req.socket as { encrypted?: boolean }).encrypted === true, region: deps.region, now };
    return { principal, facts, verified };
  }

  async function run(
    operation: ApiOperation,
    model: ServiceModel,
    input: Record<string, unknown>,
    auth: Awaited<ReturnType<typeof authenticate>>,
    requestId: string,
  ): Promise<unknown> {
    const modelOp = model.operations[operation.name];
    if (modelOp?.input) {
      const problems = validateInput(model, modelOp.input.shape, input);
      if (problems.length) throw new ValidationError(validationMessage(problems));
    }
    const ctx: ApiContext = {
      db: deps.db,
      box: deps.box,
      identity: deps.identity,
      principal: auth.principal,
      facts: auth.facts,
      requestId,
      region: deps.region,
      config: deps.config,
    };
    if (operation.action) {
      const resource = await operation.resource(input, ctx);
      const implicitAllow = operation.implicitAllow && (() => operation.implicitAllow!(ctx));
      await deps.identity.authorize(auth.principal, operation.action, resource, deps.identity.contextFor(auth.principal, auth.facts), implicitAllow);
    }
    const output = await operation.run(input, ctx);
    if (deps.config.checkOutputs) {
      const problems = checkOutput(model, modelOp?.output?.shape, output);
      if (problems.length) throw new Error(`${operation.name} answered outside its output shape: ${problems.join('; ')}`);
    }
    return output;
  }

  async function handleQuery(req: IncomingMessage, res: ServerResponse, requestId: string, body: Buffer, rawPath: string, rawQuery: string) {
    const contentType = header(req, 'content-type') ?? '';
    const params = parseQueryParams(contentType.startsWith('application/x-www-form-urlencoded') ? body.toString('utf8') : '', rawQuery);
    const version = params.get('Version');
    const service = version ? byVersion.get(version) : undefined;
    try {
      const action = params.get('Action');
      // STS takes these two without a signature (the caller has no AWS credentials yet); while
      // they are not built, they get the not-built refusal, not a demand for a signature.
      if (service?.name === 'sts' && action && UNSIGNED_STS_ACTIONS.has(action) && !service.operations.has(action)) {
        throw new InvalidAction(`Could not find operation ${action} for version ${service.version}`);
      }
      const auth = await authenticate(req, body, rawPath, rawQuery, service ? [service.name] : allServices);
      const target = service ?? byQueryName.get(auth.verified.service);
      if (!target) throw new InvalidAction(`Could not find a service for version ${version ?? '(none)'}.`);
      const operation = action ? target.operations.get(action) : undefined;
      if (!operation) throw new InvalidAction(`Could not find operation ${action ?? '(none)'} for version ${target.version}`);
      const input = decodeQueryInput(target.model, target.model.operations[operation.name]!.input?.shape, params);
      const output = await run(operation, target.model, input, auth, requestId);
      const xml = queryResponseXml(target.model, operation.name, output, requestId);
      res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }).end(xml);
    } catch (error) {
      replyError(res, error, requestId, undefined, service ?? deps.queryServices[0]);
    }
  }

  async function handleJson(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    service: JsonService,
    operationName: string,
    body: Buffer,
    rawPath: string,
    rawQuery: string,
  ) {
    try {
      const auth = await authenticate(req, body, rawPath, rawQuery, [service.name]);
      const operation = service.operations.get(operationName);
      if (!operation) {
        throw new DomainError('invalid', 'UnknownOperationException', `Unknown operation ${operationName}.`);
      }
      const modelOp = service.model.operations[operation.name]!;
      const input = decodeJsonInput(service.model, modelOp.input?.shape, parseJsonBody(body));
      const output = await run(operation, service.model, input, auth, requestId);
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId }).end(encodeJsonOutput(service.model, modelOp.output?.shape, output));
    } catch (error) {
      replyError(res, error, requestId, service, undefined);
    }
  }

  function replyError(res: ServerResponse, error: unknown, requestId: string, json: JsonService | undefined, query: QueryService | undefined): void {
    if (!(error instanceof DomainError)) {
      logEvent(deps.logger, 'request.failed', { requestId, error: (error as Error)?.stack ?? String(error) }, 'error');
      error = internalFailure();
    }
    const e = error as DomainError;
    if (e instanceof SigV4Error) logEvent(deps.logger, 'auth.rejected', { requestId, code: e.code }, 'warn');
    if (json) {
      const wire = awsWireError(e, { protocol: 'json', model: json.model, validationErrorCode: json.validationErrorCode });
      return sendJsonError(res, wire.status, wire.code, wire.message, requestId);
    }
    const model = (query ?? deps.queryServices[0]!).model;
    const wire = awsWireError(e, { protocol: 'query', model });
    res
      .writeHead(wire.status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId })
      .end(queryErrorXml(model.metadata.xmlNamespace ?? '', wire.code, wire.message, wire.status, requestId));
  }
}

/** Reads from headersDistinct, which SigV4 needs anyway: node builds each header view anew. */
function header(req: IncomingMessage, name: string): string | undefined {
  return req.headersDistinct[name]?.[0];
}

function sourceIp(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
