import { adam } from './adam.js';
import { adamw } from './adamw.js';
import { cosine } from './cosine.js';
import { exponential } from './exponential.js';
import { fixed } from './fixed.js';
import { inv } from './inv.js';
import { oneCycle } from './one-cycle.js';
import { reduceOnPlateau } from './reduce-on-plateau.js';
import { rmsprop } from './rmsprop.js';
import { sgd } from './sgd.js';
import { step } from './step.js';

export { adam, adamw, cosine, exponential, fixed, inv, oneCycle, reduceOnPlateau, rmsprop, sgd, step };
export type { AdamOptions } from './adam-update.js';
export type { CosineOptions } from './cosine.js';
export type { ExponentialOptions } from './exponential.js';
export type { FixedOptions } from './fixed.js';
export type { InvOptions } from './inv.js';
export type { OneCycleOptions } from './one-cycle.js';
export type { PlateauMonitor, ReduceOnPlateauOptions, ReduceOnPlateauState } from './reduce-on-plateau.js';
export type { RmspropOptions } from './rmsprop.js';
export type { SgdOptions } from './sgd.js';
export type { StepOptions } from './step.js';
export type { TimeUnit } from './time-unit.js';
export { createSlotOptimiser } from './slot-optimiser.js';
export type { ParameterUpdate } from './slot-optimiser.js';

/** Every built-in optimiser, for `registry.register`. */
export const optimisers = [sgd, adam, adamw, rmsprop] as const;

/** Every built-in learning-rate schedule, for `registry.register`. */
export const schedules = [fixed, step, exponential, inv, cosine, oneCycle, reduceOnPlateau] as const;
