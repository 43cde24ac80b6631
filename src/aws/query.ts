// The AWS Query protocol (IAM, STS): form-encoded parameters in, XML out.
// Decoding follows the input shape: lists as Name.member.N, maps as Name.entry.N.key/value,
// nested structures as Name.Member. Output is written from the output shape, member order
// and list wrapping as AWS writes them.
import { ValidationError } from '../errors.ts';
import { shapeOf, type ServiceModel, type Shape } from './model.ts';

export type QueryParams = Map<string, string>;

export function parseQueryParams(body: string, rawQuery: string): QueryParams {
  const params: QueryParams = new Map();
  for (const source of [rawQuery, body]) {
    if (!source) continue;
    for (const [key, value] of new URLSearchParams(source)) params.set(key, value);
  }
  return params;
}

/** Decodes the parameters under `prefix` into a value of `shape`; undefined when none are present. */
export function decodeQueryInput(model: ServiceModel, shapeName: string | undefined, params: QueryParams): Record<string, unknown> {
  // Operations without an input shape (GetAccountSummary, GetAccountPasswordPolicy, …) take no parameters.
  if (!shapeName) return {};
  return (decode(model, shapeOf(model, shapeName), params, '') as Record<string, unknown>) ?? {};
}

function decode(model: ServiceModel, shape: Shape, params: QueryParams, prefix: string): unknown {
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      let any = false;
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const key = prefix ? `${prefix}.${ref.locationName ?? name}` : (ref.locationName ?? name);
        const value = decode(model, shapeOf(model, ref.shape), params, key);
        if (value !== undefined) {
          out[name] = value;
          any = true;
        }
      }
      return any || !prefix ? out : undefined;
    }
    case 'list': {
      const memberShape = shapeOf(model, shape.member!.shape);
      const base = shape.flattened ? prefix : `${prefix}.${shape.member!.locationName ?? 'member'}`;
      // An empty list is sent as the bare name with an empty value.
      if (params.get(prefix) === '' && !params.has(`${base}.1`)) return [];
      const out: unknown[] = [];
      for (let index = 1; ; index++) {
        const value = decode(model, memberShape, params, `${base}.${index}`);
        if (value === undefined) break;
        out.push(value);
      }
      return out.length ? out : undefined;
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      const keyName = shape.key?.locationName ?? 'key';
      const valueName = shape.value?.locationName ?? 'value';
      const base = shape.flattened ? prefix : `${prefix}.entry`;
      let any = false;
      for (let index = 1; params.has(`${base}.${index}.${keyName}`); index++) {
        out[params.get(`${base}.${index}.${keyName}`)!] = decode(model, shapeOf(model, shape.value!.shape), params, `${base}.${index}.${valueName}`);
        any = true;
      }
      return any ? out : undefined;
    }
    default: {
      const raw = params.get(prefix);
      if (raw === undefined) return undefined;
      return scalar(shape, raw, prefix);
    }
  }
}

function scalar(shape: Shape, raw: string, name: string): unknown {
  switch (shape.type) {
    case 'integer':
    case 'long': {
      if (!/^-?\d+$/.test(raw)) throw new ValidationError(`1 validation error detected: Value '${raw}' at '${name}' failed to satisfy constraint: Member must be a whole number`);
      return Number(raw);
    }
    case 'double':
    case 'float': {
      const value = Number(raw);
      if (raw.trim() === '' || Number.isNaN(value)) throw new ValidationError(`1 validation error detected: Value '${raw}' at '${name}' failed to satisfy constraint: Member must be a number`);
      return value;
    }
    case 'boolean': {
      if (raw !== 'true' && raw !== 'false') throw new ValidationError(`1 validation error detected: Value '${raw}' at '${name}' failed to satisfy constraint: Member must be true or false`);
      return raw === 'true';
    }
    case 'timestamp': {
      const date = /^\d+(\.\d+)?$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
      if (Number.isNaN(date.getTime())) throw new ValidationError(`1 validation error detected: Value '${raw}' at '${name}' failed to satisfy constraint: Member must be a timestamp`);
      return date;
    }
    default:
      return raw;
  }
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };
export const escapeXml = (text: string): string => text.replace(/[&<>"'\r]/g, (c) => XML_ESCAPES[c]!);

/** Formats a timestamp as IAM does: ISO 8601 in UTC, without milliseconds. */
export const isoSeconds = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

function encode(model: ServiceModel, shape: Shape, value: unknown, out: string[]): void {
  switch (shape.type) {
    case 'structure': {
      const object = value as Record<string, unknown>;
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const inner = object[name];
        if (inner === undefined || inner === null) continue;
        const memberShape = shapeOf(model, ref.shape);
        const tag = ref.locationName ?? name;
        if (memberShape.type === 'list' && (memberShape.flattened || ref.flattened)) {
          const itemShape = shapeOf(model, memberShape.member!.shape);
          for (const item of inner as unknown[]) {
            out.push(`<${tag}>`);
            encode(model, itemShape, item, out);
            out.push(`</${tag}>`);
          }
          continue;
        }
        out.push(`<${tag}>`);
        encode(model, memberShape, inner, out);
        out.push(`</${tag}>`);
      }
      return;
    }
    case 'list': {
      const itemShape = shapeOf(model, shape.member!.shape);
      const tag = shape.member!.locationName ?? 'member';
      for (const item of value as unknown[]) {
        out.push(`<${tag}>`);
        encode(model, itemShape, item, out);
        out.push(`</${tag}>`);
      }
      return;
    }
    case 'map': {
      const valueShape = shapeOf(model, shape.value!.shape);
      for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
        out.push(`<entry><key>${escapeXml(key)}</key><value>`);
        encode(model, valueShape, inner, out);
        out.push('</value></entry>');
      }
      return;
    }
    case 'timestamp':
      out.push(isoSeconds(value instanceof Date ? value : new Date(value as string)));
      return;
    case 'blob':
      out.push(Buffer.isBuffer(value) ? value.toString('base64') : escapeXml(String(value)));
      return;
    default:
      out.push(escapeXml(String(value)));
  }
}

export function queryResponseXml(model: ServiceModel, operation: string, output: unknown, requestId: string): string {
  const op = model.operations[operation]!;
  const ns = model.metadata.xmlNamespace;
  const out = [`<${operation}Response xmlns="${ns}">`];
  if (op.output) {
    const wrapper = op.output.resultWrapper ?? `${operation}Result`;
    out.push(`<${wrapper}>`);
    encode(model, shapeOf(model, op.output.shape), output ?? {}, out);
    out.push(`</${wrapper}>`);
  }
  out.push(`<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`);
  return out.join('');
}

export function queryErrorXml(namespace: string, code: string, message: string, status: number, requestId: string): string {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return (
    `<ErrorResponse xmlns="${namespace}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
