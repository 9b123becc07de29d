/**
 * SQS Query protocol requests (form-encoded POST or GET query string) read into the shape the JSON protocol
 * carries, so one set of actions serves both. Members follow the API reference's Query names
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html, "Request Parameters"
 * and each action's Query examples): flattened lists `AttributeName.N`, maps `Attribute.N.Name` / `.Value`,
 * message attributes `MessageAttribute.N.Name` / `.Value.DataType` / `.Value.StringValue` / `.Value.BinaryValue`,
 * batch entries `SendMessageBatchRequestEntry.N.<member>`.
 */
type Json = Record<string, unknown>;
interface Tree {
  [key: string]: Tree | string;
}

/** Flattened lists of plain strings: Query member name -> JSON member name. */
const STRING_LISTS: Record<string, string> = {
  AttributeName: 'AttributeNames',
  MessageAttributeName: 'MessageAttributeNames',
  MessageSystemAttributeName: 'MessageSystemAttributeNames',
  TagKey: 'TagKeys',
};

/** `a.1.b=x` -> { a: { 1: { b: 'x' } } }; a later duplicate of a key wins, as with a repeated form field. */
function toTree(params: Iterable<[string, string]>): Tree {
  const root: Tree = {};
  for (const [key, value] of params) {
    const parts = key.split('.');
    const leaf = parts.pop() ?? key; // split returns at least one part
    let node = root;
    for (const part of parts) {
      const next = node[part];
      if (typeof next === 'object') node = next;
      else node = node[part] = {};
    }
    node[leaf] = value;
  }
  return root;
}

/** The members `1`, `2`, ... of a flattened list in index order (AWS numbers them from 1). */
function indexed(node: Tree | string): Array<Tree | string> {
  if (typeof node === 'string') return [node];
  return Object.keys(node)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .flatMap((k) => node[k] ?? []);
}

const text = (node: Tree | string | undefined): string | undefined => (typeof node === 'string' ? node : undefined);

function pairs(node: Tree | string, key: string, value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of indexed(node)) {
    if (typeof e === 'object' && text(e[key]) !== undefined) out[text(e[key])!] = text(e[value]) ?? '';
  }
  return out;
}

/** `MessageAttribute.N.Name` + `.Value.{DataType,StringValue,BinaryValue,StringListValue.M}` -> the JSON map. */
function messageAttributes(node: Tree | string): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const e of indexed(node)) {
    if (typeof e !== 'object' || text(e.Name) === undefined) continue;
    const v = typeof e.Value === 'object' ? e.Value : {};
    const attr: Json = {};
    for (const [k, val] of Object.entries(v)) {
      if (typeof val === 'string') attr[k] = val;
      else if (k === 'StringListValue' || k === 'BinaryListValue') attr[`${k}s`] = indexed(val).filter((s) => typeof s === 'string');
    }
    out[text(e.Name)!] = attr;
  }
  return out;
}

function members(tree: Tree, action: string): Json {
  const out: Json = {};
  for (const [key, node] of Object.entries(tree)) {
    if (key === 'Action' || key === 'Version') continue;
    if (STRING_LISTS[key]) out[STRING_LISTS[key]] = indexed(node).filter((s) => typeof s === 'string');
    else if (key === 'Attribute') out.Attributes = pairs(node, 'Name', 'Value');
    // CreateQueue's tags are `tags` in the JSON protocol, TagQueue's are `Tags`; both are `Tag.N.Key` in Query.
    else if (key === 'Tag') out[action === 'CreateQueue' ? 'tags' : 'Tags'] = pairs(node, 'Key', 'Value');
    else if (key === 'MessageAttribute') out.MessageAttributes = messageAttributes(node);
    else if (key === 'MessageSystemAttribute') out.MessageSystemAttributes = messageAttributes(node);
    else if (key.endsWith('BatchRequestEntry')) out.Entries = indexed(node).map((e) => (typeof e === 'object' ? members(e, action) : {}));
    else if (typeof node === 'string') out[key] = node;
  }
  return out;
}

/** The action and its input, JSON-shaped; scalars stay strings (the actions read numbers from strings too). */
export function readQueryRequest(params: Iterable<[string, string]>): { action: string; input: Json } {
  const tree = toTree(params);
  return { action: text(tree.Action) ?? '', input: members(tree, text(tree.Action) ?? '') };
}

/** Form fields of a POST body and of the query string (a GET carries everything in the query string). */
export function queryParams(query: URLSearchParams, body: Buffer, contentType: string): Array<[string, string]> {
  const out: Array<[string, string]> = [...query];
  if (body.length > 0 && contentType.startsWith('application/x-www-form-urlencoded')) out.push(...new URLSearchParams(body.toString('utf8')));
  return out;
}
