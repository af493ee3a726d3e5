import type { AugmentationPlugin, DatasetPlugin, PreprocessPlugin } from './data-plugins.js';
import type {
  InitialiserPlugin,
  LayerPlugin,
  LossPlugin,
  OptimiserPlugin,
  PluginPackage,
  SchedulePlugin,
} from './plugins.js';

// Identity helpers: they exist so a plugin author gets the contract's types checked at the
// definition, with the options type inferred once.
export const defineLayer = <O>(plugin: LayerPlugin<O>): LayerPlugin<O> => plugin;
export const defineLoss = <O>(plugin: LossPlugin<O>): LossPlugin<O> => plugin;
export const defineOptimiser = <O>(plugin: OptimiserPlugin<O>): OptimiserPlugin<O> => plugin;
export const defineSchedule = <O>(plugin: SchedulePlugin<O>): SchedulePlugin<O> => plugin;
export const defineInitialiser = <O>(plugin: InitialiserPlugin<O>): InitialiserPlugin<O> => plugin;
export const defineDataset = <O>(plugin: DatasetPlugin<O>): DatasetPlugin<O> => plugin;
export const definePreprocess = <O>(plugin: PreprocessPlugin<O>): PreprocessPlugin<O> => plugin;
export const defineAugmentation = <O>(plugin: AugmentationPlugin<O>): AugmentationPlugin<O> => plugin;
export const definePlugin = (pkg: PluginPackage): PluginPackage => pkg;
