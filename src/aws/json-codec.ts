// The AWS JSON 1.1 protocol's bodies, read and written from the model: timestamps travel as
// epoch seconds, blobs as base64; everything else is plain JSON. Members the model does not
// define are dropped on the way in and out.
import { DomainError } from '../errors.ts';
import { shapeOf, type ServiceModel, type Shape } from './model.ts';

export class SerializationError extends DomainError {
  constructor(message: string) {
    super('invalid', 'SerializationException', message);
  }
}

export function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new SerializationError(`Request body is not valid JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new SerializationError('Request body must be a JSON object.');
  return value as Record<string, unknown>;
}

export function decodeJsonInput(model: ServiceModel, shapeName: string | undefined, value: Record<string, unknown>): Record<string, unknown> {
  if (!shapeName) return {};
  return decode(model, shapeOf(model, shapeName), value, '') as Record<string, unknown>;
}

function decode(model: ServiceModel, shape: Shape, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return undefined;
  const wrong = (expected: string) => new SerializationError(`${path || 'input'}: expected ${expected}, got ${JSON.stringify(value)}`);
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) throw wrong('an object');
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const inner = decode(model, shapeOf(model, ref.shape), (value as Record<string, unknown>)[name], path ? `${path}.${name}` : name);
        if (inner !== undefined) out[name] = inner;
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) throw wrong('a list');
      const member = shapeOf(model, shape.member!.shape);
      return value.map((item, index) => decode(model, member, item, `${path}[${index}]`));
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) throw wrong('an object');
      const inner = shapeOf(model, shape.value!.shape);
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, decode(model, inner, v, `${path}.${k}`)]));
    }
    case 'timestamp': {
      if (typeof value === 'number') return new Date(value * 1000);
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value);
      throw wrong('a timestamp');
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw wrong('true or false');
      return value;
    case 'integer':
    case 'long':
    case 'double':
    case 'float':
      if (typeof value !== 'number') throw wrong('a number');
      if ((shape.type === 'integer' || shape.type === 'long') && !Number.isInteger(value)) throw wrong('a whole number');
      return value;
    case 'blob':
      if (typeof value !== 'string') throw wrong('base64 text');
      return Buffer.from(value, 'base64');
    default:
      if (typeof value !== 'string') throw wrong('a string');
      return value;
  }
}

export function encodeJsonOutput(model: ServiceModel, shapeName: string | undefined, value: unknown): string {
  if (!shapeName) return '{}';
  return JSON.stringify(encode(model, shapeOf(model, shapeName), value ?? {}) ?? {});
}

function encode(model: ServiceModel, shape: Shape, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const inner = encode(model, shapeOf(model, ref.shape), (value as Record<string, unknown>)[name]);
        if (inner !== undefined) out[name] = inner;
      }
      return out;
    }
    case 'list': {
      const member = shapeOf(model, shape.member!.shape);
      return (value as unknown[]).map((item) => encode(model, member, item));
    }
    case 'map': {
      const inner = shapeOf(model, shape.value!.shape);
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, encode(model, inner, v)]));
    }
    case 'timestamp': {
      const date = value instanceof Date ? value : new Date(value as string);
      return date.getTime() / 1000;
    }
    case 'blob':
      return Buffer.isBuffer(value) ? value.toString('base64') : value;
    default:
      return value;
  }
}
