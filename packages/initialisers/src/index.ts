import { constant } from './constant.js';
import { heNormal } from './he-normal.js';
import { heUniform } from './he-uniform.js';
import { lecunNormal } from './lecun-normal.js';
import { normal } from './normal.js';
import { scaledNormal } from './scaled-normal.js';
import { uniform } from './uniform.js';
import { xavierNormal } from './xavier-normal.js';
import { xavierUniform } from './xavier-uniform.js';
import { zeros } from './zeros.js';

export { constant, heNormal, heUniform, lecunNormal, normal, scaledNormal, uniform, xavierNormal, xavierUniform, zeros };
export type { ConstantOptions } from './constant.js';
export type { NormalOptions } from './normal.js';
export type { UniformOptions } from './uniform.js';
export type { XavierOptions } from './xavier-uniform.js';
export { fillNormal, fillUniform, normalInitialiser, uniformInitialiser } from './family.js';

/** Every built-in initialiser, for `registry.register`. */
export const initialisers = [
  zeros,
  constant,
  uniform,
  normal,
  scaledNormal,
  xavierUniform,
  xavierNormal,
  heNormal,
  heUniform,
  lecunNormal,
] as const;
