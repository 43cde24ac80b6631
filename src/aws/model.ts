// The botocore service models (src/aws/models/*.json) as typed data. Operations, their input
// and output shapes, constraints and error codes all come from here, so that "compatible" is
// read from AWS's own description rather than retyped by hand.
import { readFileSync } from 'node:fs';

export interface MemberRef {
  shape: string;
  locationName?: string;
  flattened?: boolean;
  location?: string;
  idempotencyToken?: boolean;
}

export interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'boolean' | 'timestamp' | 'blob' | 'double' | 'float';
  members?: Record<string, MemberRef>;
  required?: string[];
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  flattened?: boolean;
  sensitive?: boolean;
  timestampFormat?: string;
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
  exception?: boolean;
}

export interface OperationModel {
  name: string;
  input?: { shape: string };
  output?: { shape: string; resultWrapper?: string };
  errors?: { shape: string }[];
  idempotent?: boolean;
}

export interface ServiceModel {
  metadata: {
    apiVersion: string;
    endpointPrefix: string;
    protocol: string;
    xmlNamespace?: string;
    targetPrefix?: string;
    jsonVersion?: string;
    signingName?: string;
  };
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

const cache = new Map<string, ServiceModel>();

export function loadModel(name: 'iam' | 'sts' | 'workmail' | 'workmailmessageflow'): ServiceModel {
  let model = cache.get(name);
  if (!model) {
    model = JSON.parse(readFileSync(new URL(`./models/${name}.json`, import.meta.url), 'utf8')) as ServiceModel;
    cache.set(name, model);
  }
  return model;
}

export function shapeOf(model: ServiceModel, name: string): Shape {
  const shape = model.shapes[name];
  if (!shape) throw new Error(`model ${model.metadata.endpointPrefix} has no shape ${name}`);
  return shape;
}
