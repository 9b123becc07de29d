import { jsonBody, jsonError, jsonOk, type AwsRequest, type AwsResponse, type AwsService } from '../aws-service';
import { GlueError, type GlueCatalog } from './glue-catalog';
import type { GlueTableInput } from './glue-types';

const TARGET_PREFIX = 'AWSGlue.';
const PROTOCOL = '1.1' as const;
/** GetTables/GetDatabases pages hold at most 100 entries (Glue API reference: MaxResults 1..100). */
const MAX_PAGE = 100;

type Input = Record<string, unknown>;

/**
 * The Glue Data Catalog endpoint (awsJson1_1, `X-Amz-Target: AWSGlue.<Operation>`): GetDatabase, GetDatabases,
 * GetTable, GetTables and UpdateTable, with Glue's errors (EntityNotFoundException, ConcurrentModificationException,
 * InvalidInputException, all HTTP 400). Another operation gets UnknownOperationException naming it.
 */
export class GlueService implements AwsService {
  readonly name = 'glue';

  constructor(private readonly catalog: GlueCatalog) {}

  matches(req: AwsRequest): boolean {
    return req.target?.startsWith(TARGET_PREFIX) ?? false;
  }

  async handle(req: AwsRequest): Promise<AwsResponse> {
    const operation = req.target!.slice(TARGET_PREFIX.length);
    // Parsed once: the authorization check in front of this service read the same body.
    const input = jsonBody(req);
    if (!input) return jsonError(400, 'SerializationException', 'Request body is not valid JSON', PROTOCOL);
    try {
      this.checkCatalogId(input.CatalogId);
      const answer = this.dispatch(operation, input);
      if (answer === undefined) return { ...jsonError(400, 'UnknownOperationException', `Operation ${operation} is not supported by this endpoint`, PROTOCOL), unsupported: req.target };
      return jsonOk(answer, PROTOCOL);
    } catch (err) {
      if (err instanceof GlueError) return jsonError(400, err.type, err.message, PROTOCOL);
      throw err;
    }
  }

  private dispatch(operation: string, input: Input): unknown {
    const c = this.catalog;
    switch (operation) {
      case 'GetDatabase':
        return { Database: c.getDatabase(input.Name) };
      case 'GetDatabases':
        return page(c.getDatabases(), input, 'DatabaseList');
      case 'GetTable':
        return { Table: c.getTable(input.DatabaseName, input.Name) };
      case 'GetTables':
        return page(c.getTables(input.DatabaseName, typeof input.Expression === 'string' ? input.Expression : undefined), input, 'TableList');
      case 'UpdateTable':
        c.updateTable(input.DatabaseName, input.TableInput as GlueTableInput | undefined, typeof input.VersionId === 'string' ? input.VersionId : undefined);
        return {};
      default:
        return undefined;
    }
  }

  /** One account's catalog: another CatalogId names a catalog this endpoint does not have. */
  private checkCatalogId(id: unknown): void {
    if (id !== undefined && id !== this.catalog.catalogId) throw new GlueError('EntityNotFoundException', `Catalog ${String(id)} not found.`);
  }
}

/** A page of `items` from NextToken (an offset here; opaque to clients) of at most MaxResults. */
function page<T>(items: T[], input: Input, key: string): Record<string, unknown> {
  const size = typeof input.MaxResults === 'number' ? input.MaxResults : MAX_PAGE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) throw new GlueError('InvalidInputException', `MaxResults must be between 1 and ${MAX_PAGE}`);
  const start = typeof input.NextToken === 'string' ? Number(input.NextToken) : 0;
  if (!Number.isInteger(start) || start < 0) throw new GlueError('InvalidInputException', 'NextToken is not valid');
  const slice = items.slice(start, start + size);
  return { [key]: slice, ...(start + size < items.length ? { NextToken: String(start + size) } : {}) };
}
