import { cpus, loadavg, totalmem } from 'node:os';
import { wasmSupport } from '@scratchnet/tensor';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly wasm: ReturnType<typeof wasmSupport> & { readonly relaxedSimdVia: string };
  /** 1-minute load average when the bench started and ended: other work on the box skews results. */
  readonly loadAverage: { start: number; end?: number };
  readonly date: string;
}

export function describeMachine(relaxedSimdVia: string): Machine {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch}`,
    wasm: { ...wasmSupport(), relaxedSimdVia },
    loadAverage: { start: loadavg()[0]! },
    date: new Date().toISOString(),
  };
}
