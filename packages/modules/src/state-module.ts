import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { NAME_PREFIX_PATTERN, TABLE_KINDS, TABLE_SCHEMAS, names, type TableKind } from '@lean-ops/contracts';
import { requireProp } from './validation';

const CONSTRUCT = 'StateModule';

export interface StateModuleProps {
  namePrefix: string;
  kmsKeyArn: string;
  /** Refuse table deletion (terraform destroy or a replacing change). Default true. */
  deletionProtection?: boolean;
}

export interface TableRef {
  readonly table: DynamodbTable;
  readonly name: string;
  readonly arn: string;
}

/**
 * DynamoDB tables `checkpoints`, `locks` and `errors`. Key attributes and the TTL attribute come from
 * TABLE_SCHEMAS in contracts, the same constants the handlers read and write.
 */
export class StateModule extends Construct {
  readonly tables: Readonly<Record<TableKind, TableRef>>;

  constructor(scope: Construct, id: string, props: StateModuleProps) {
    super(scope, id);
    requireProp(NAME_PREFIX_PATTERN.test(props.namePrefix), CONSTRUCT, 'namePrefix', props.namePrefix, `must match ${NAME_PREFIX_PATTERN}`, 'use lower-case letters, digits and -');
    requireProp(props.kmsKeyArn.length > 0, CONSTRUCT, 'kmsKeyArn', props.kmsKeyArn, 'tables are encrypted with a customer managed key', 'pass SecurityModule.keyArn');

    const tables = {} as Record<TableKind, TableRef>;
    for (const kind of TABLE_KINDS) {
      const schema = TABLE_SCHEMAS[kind];
      const table = new DynamodbTable(this, kind, {
        name: names.table(props.namePrefix, kind),
        billingMode: 'PAY_PER_REQUEST',
        hashKey: schema.partitionKey,
        ...(schema.sortKey ? { rangeKey: schema.sortKey } : {}),
        // Only key attributes are declared: DynamoDB refuses attribute definitions no index uses.
        attribute: [{ name: schema.partitionKey, type: 'S' }, ...(schema.sortKey ? [{ name: schema.sortKey, type: 'S' }] : [])],
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: props.kmsKeyArn },
        ttl: { attributeName: schema.ttlAttribute, enabled: true },
        deletionProtectionEnabled: props.deletionProtection ?? true,
      });
      tables[kind] = { table, name: table.name, arn: table.arn };
    }
    this.tables = tables;
  }
}
