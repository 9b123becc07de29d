import { jsonBody, type AwsRequest } from '../aws-service';
import type { RequestCall } from './request-calls';

/**
 * Glue Data Catalog operations -> the call and every resource Glue authorizes it on: the catalog, the database and,
 * for table operations, the table (Glue Developer Guide, "Specifying AWS Glue resource ARNs": a table call needs
 * permission on the catalog, its database and the table; listing calls on every object they return, `/*`).
 */
export function glueCall(req: AwsRequest, o: { region: string; accountId: string }): RequestCall | undefined {
  const operation = (req.target ?? '').replace(/^AWSGlue\./, '');
  const input = jsonBody(req);
  if (!input) return undefined; // the service answers the malformed body itself, from the same parse
  const name = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : '');
  const base = `arn:aws:glue:${o.region}:${o.accountId}`;
  const database = (db: string) => `${base}:database/${db}`;
  const table = (db: string, t: string) => `${base}:table/${db}/${t}`;
  const resources = ((): string[] => {
    switch (operation) {
      case 'GetDatabase':
        return [`${base}:catalog`, database(name(input.Name))];
      case 'GetDatabases':
        return [`${base}:catalog`, database('*')];
      case 'GetTables':
        return [`${base}:catalog`, database(name(input.DatabaseName)), table(name(input.DatabaseName), '*')];
      case 'UpdateTable':
        return [`${base}:catalog`, database(name(input.DatabaseName)), table(name(input.DatabaseName), name((input.TableInput as { Name?: unknown } | undefined)?.Name))];
      default:
        // GetTable and the table operations this endpoint does not serve name DatabaseName and Name.
        return [`${base}:catalog`, database(name(input.DatabaseName)), table(name(input.DatabaseName), name(input.Name))];
    }
  })();
  // The most specific resource names the call (denials and the log show it); the catalog and database are checked too.
  const [catalog, ...rest] = resources;
  return { operation, action: `glue:${operation}`, resource: rest[rest.length - 1]!, alsoOn: [catalog!, ...rest.slice(0, -1)] };
}
