// Final touches on the whole document: the components no operation reaches are dropped (the zod
// provider emits an `...Input` twin of every component, used or not), and a query parameter whose zod
// schema only transforms (an empty `anyOf`) is described as what it is on the wire, a string.
type TNode = Record<string, unknown>;

const isNode = (value: unknown): value is TNode => typeof value === 'object' && value !== null;

function collectRefs(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, into);
    return;
  }
  if (!isNode(value)) return;
  for (const [key, inner] of Object.entries(value)) {
    if (key === '$ref' && typeof inner === 'string') into.add(inner.replace('#/components/schemas/', ''));
    else collectRefs(inner, into);
  }
}

/** The component names reachable from the paths, following references inside components too. */
function reachableSchemas(paths: unknown, schemas: TNode): Set<string> {
  const reached = new Set<string>();
  collectRefs(paths, reached);
  const queue = [...reached];
  while (queue.length > 0) {
    const found = new Set<string>();
    collectRefs(schemas[queue.pop() ?? ''], found);
    for (const name of found) {
      if (reached.has(name)) continue;
      reached.add(name);
      queue.push(name);
    }
  }
  return reached;
}

function describeTransformOnlyParameters(paths: unknown): void {
  if (!isNode(paths)) return;
  for (const item of Object.values(paths)) {
    if (!isNode(item)) continue;
    for (const operation of Object.values(item)) {
      const parameters = isNode(operation) ? operation['parameters'] : undefined;
      if (!Array.isArray(parameters)) continue;
      for (const parameter of parameters as TNode[]) {
        const schema = parameter['schema'];
        if (isNode(schema) && Array.isArray(schema['anyOf']) && schema['anyOf'].length === 0) parameter['schema'] = { type: 'string' };
      }
    }
  }
}

export function tidyDocument<T>(document: T): T {
  const doc = document as TNode;
  describeTransformOnlyParameters(doc['paths']);
  const components = doc['components'];
  const schemas = isNode(components) ? components['schemas'] : undefined;
  if (isNode(components) && isNode(schemas)) {
    const reached = reachableSchemas(doc['paths'], schemas);
    components['schemas'] = Object.fromEntries(Object.entries(schemas).filter(([name]) => reached.has(name)));
  }
  return document;
}
