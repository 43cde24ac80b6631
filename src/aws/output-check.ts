// Checks a handler's result against the operation's output shape before it is written: every
// member the model requires is present, nothing the model does not define is returned (the
// encoders would silently drop a misspelt member), and each value has the model's type, enum
// and bounds. The test suite runs every server with this check on (GODWIT_CHECK_OUTPUTS=1), so
// each SDK and CLI round trip doubles as a conformance test of the response.
import { shapeOf, type ServiceModel, type Shape } from './model.ts';

/**
 * Members the model marks required that AWS itself leaves out in some answers. Shape.member,
 * each with the case where AWS omits it.
 */
const OMITTED_BY_AWS = new Set([
  // CreateAccessKey for the root user's own key: the root user has no user name.
  'AccessKey.UserName',
]);

export function checkOutput(model: ServiceModel, shapeName: string | undefined, value: unknown): string[] {
  const problems: string[] = [];
  if (shapeName) walk(model, shapeOf(model, shapeName), value ?? {}, shapeName, problems, shapeName);
  return problems;
}

function walk(model: ServiceModel, shape: Shape, value: unknown, path: string, problems: string[], shapeName = ''): void {
  const fail = (what: string): void => {
    problems.push(`${path}: ${what} (got ${describe(value)})`);
  };
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date) return fail('expected an object');
      const members = shape.members ?? {};
      for (const key of Object.keys(value)) {
        if (!(key in members) && (value as Record<string, unknown>)[key] !== undefined) fail(`member ${key} is not in the model`);
      }
      for (const [name, ref] of Object.entries(members)) {
        const inner = (value as Record<string, unknown>)[name];
        if (inner === undefined || inner === null) {
          if (shape.required?.includes(name) && !OMITTED_BY_AWS.has(`${shapeName}.${name}`)) fail(`required member ${name} is missing`);
          continue;
        }
        walk(model, shapeOf(model, ref.shape), inner, `${path}.${name}`, problems, ref.shape);
      }
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) return fail('expected a list');
      const member = shapeOf(model, shape.member!.shape);
      value.forEach((item, index) => walk(model, member, item, `${path}[${index}]`, problems, shape.member!.shape));
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('expected a map');
      const inner = shapeOf(model, shape.value!.shape);
      for (const [key, item] of Object.entries(value)) walk(model, inner, item, `${path}.${key}`, problems, shape.value!.shape);
      return;
    }
    case 'timestamp':
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) fail('expected a valid Date');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail('expected a boolean');
      return;
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) return fail('expected a whole number');
      if (shape.min !== undefined && value < shape.min) fail(`below the minimum ${shape.min}`);
      if (shape.max !== undefined && value > shape.max) fail(`above the maximum ${shape.max}`);
      return;
    case 'double':
    case 'float':
      if (typeof value !== 'number') fail('expected a number');
      return;
    case 'blob':
      if (!Buffer.isBuffer(value) && typeof value !== 'string') fail('expected bytes');
      return;
    default:
      if (typeof value !== 'string') return fail('expected a string');
      if (shape.enum && !shape.enum.includes(value)) fail(`not one of ${shape.enum.join(', ')}`);
  }
}

function describe(value: unknown): string {
  if (value instanceof Date) return `Date ${value.toISOString()}`;
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? text.slice(0, 77) + '...' : text;
}
