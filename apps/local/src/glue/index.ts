export { CatalogStore } from './catalog-store';
export { GlueCatalog, GlueError } from './glue-catalog';
export { GlueService } from './glue-service';
export { createPlanCatalog } from './plan-catalog';
export type { GlueDatabase, GlueTable, GlueTableInput } from './glue-types';
