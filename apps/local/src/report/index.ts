export type { Report, TopicLedger, Balance, VerificationRow, BreakerTransitionView, DuplicateSummary } from './report-types';
export { verificationTable, ledgerTable, breakerSummary, throughputLine, textTable } from './format-report';
export { writeReport } from './write-report';
export { THROUGHPUT_DEFINITION, type ReportOptions } from './collect-report';
