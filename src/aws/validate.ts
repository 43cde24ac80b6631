// Model-driven input validation with AWS's own wording:
//   1 validation error detected: Value 'a b' at 'userName' failed to satisfy constraint:
//   Member must satisfy regular expression pattern: [\w+=,.@-]+
// Every refusal names the member (lower camel case, dotted for nested members).
import { shapeOf, type ServiceModel, type Shape } from './model.ts';

const patternCache = new Map<string, RegExp | null>();

/** Model patterns are Java regexes matched against the whole value; most compile as JS with the u flag. */
function compilePattern(pattern: string): RegExp | null {
  if (patternCache.has(pattern)) return patternCache.get(pattern)!;
  let regex: RegExp | null = null;
  for (const flags of ['u', '']) {
    try {
      regex = new RegExp(`^(?:${pattern})$`, flags);
      break;
    } catch {
      regex = null;
    }
  }
  patternCache.set(pattern, regex);
  return regex;
}

const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

function describe(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'object') return `'${JSON.stringify(value)}'`;
  return `'${String(value)}'`;
}

export function validateInput(model: ServiceModel, shapeName: string, input: unknown, sensitiveMask = true): string[] {
  const problems: string[] = [];
  walk(model, shapeOf(model, shapeName), input, '', problems, sensitiveMask);
  return problems;
}

function walk(model: ServiceModel, shape: Shape, value: unknown, path: string, problems: string[], mask: boolean): void {
  const fail = (constraint: string) =>
    problems.push(`Value ${mask && shape.sensitive ? "'***'" : describe(value)} at '${path}' failed to satisfy constraint: ${constraint}`);
  switch (shape.type) {
    case 'structure': {
      const object = (value ?? {}) as Record<string, unknown>;
      for (const required of shape.required ?? []) {
        if (object[required] === undefined || object[required] === null) {
          problems.push(`Value null at '${join(path, lowerFirst(required))}' failed to satisfy constraint: Member must not be null`);
        }
      }
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const inner = object[name];
        if (inner === undefined || inner === null) continue;
        walk(model, shapeOf(model, ref.shape), inner, join(path, lowerFirst(name)), problems, mask);
      }
      return;
    }
    case 'list': {
      const list = value as unknown[];
      if (shape.min !== undefined && list.length < shape.min) fail(`Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && list.length > shape.max) fail(`Member must have length less than or equal to ${shape.max}`);
      const memberShape = shapeOf(model, shape.member!.shape);
      list.forEach((item, index) => walk(model, memberShape, item, `${path}.${index + 1}.member`, problems, mask));
      return;
    }
    case 'map': {
      const entries = Object.entries(value as Record<string, unknown>);
      if (shape.min !== undefined && entries.length < shape.min) fail(`Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && entries.length > shape.max) fail(`Member must have length less than or equal to ${shape.max}`);
      const keyShape = shapeOf(model, shape.key!.shape);
      const valueShape = shapeOf(model, shape.value!.shape);
      for (const [key, inner] of entries) {
        walk(model, keyShape, key, `${path}.key`, problems, mask);
        walk(model, valueShape, inner, `${path}.${key}.value`, problems, mask);
      }
      return;
    }
    case 'string': {
      const text = value as string;
      const length = [...text].length;
      if (shape.min !== undefined && length < shape.min) fail(`Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && length > shape.max) fail(`Member must have length less than or equal to ${shape.max}`);
      if (shape.enum && !shape.enum.includes(text)) fail(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      if (shape.pattern) {
        const regex = compilePattern(shape.pattern);
        if (regex && !regex.test(text)) fail(`Member must satisfy regular expression pattern: ${shape.pattern}`);
      }
      return;
    }
    case 'integer':
    case 'long':
    case 'double':
    case 'float': {
      const number = value as number;
      if (shape.min !== undefined && number < shape.min) fail(`Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && number > shape.max) fail(`Member must have value less than or equal to ${shape.max}`);
      return;
    }
    default:
      return;
  }
}

const join = (path: string, name: string) => (path ? `${path}.${name}` : name);

export function validationMessage(problems: string[]): string {
  const count = problems.length;
  return `${count} validation error${count === 1 ? '' : 's'} detected: ${problems.join('; ')}`;
}
