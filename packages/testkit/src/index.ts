export { createTestContext, optionsWithDefaults, type TestContextOptions } from './build-context.js';
export { checkGradients, centralDifference, DEFAULT_KINK_GAP, type GradientCheckOptions } from './check-gradients.js';
export { checkLossGradients, type LossGradientCheckOptions } from './check-loss-gradients.js';
export {
  checkBatchInvariance,
  type BatchInvarianceOptions,
  type BatchInvarianceReport,
  type BatchMismatch,
} from './check-batch-invariance.js';
export {
  relativeError,
  RELATIVE_ERROR_FLOOR,
  type GradientCheckReport,
  type GradientMismatch,
  type TensorSummary,
} from './gradient-report.js';
export * from './lint-plugin.js';
export { checkOptimiserResume, type OptimiserResumeOptions, type OptimiserResumeReport } from './check-optimiser.js';
export { checkSchedule } from './check-schedule.js';
export { checkInitialiser, type InitialiserCheckOptions, type InitialiserReport } from './check-initialiser.js';
export { checkDataset, type DatasetSummary } from './check-dataset.js';
export { checkPreprocessor, type PreprocessorCheckOptions, type PreprocessorReport } from './check-preprocessor.js';
export { checkSeededCases, type CaseReport, type SeededCases, type SeededCasesSummary } from './check-cases.js';
export { countAllocations } from './count-allocations.js';
