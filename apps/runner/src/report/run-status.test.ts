import { describe, expect, it } from 'vitest';
import { comparisonNames } from './compared-run.js';
import { runStatus, type StatusFacts } from './run-status.js';

const facts = (extra: Partial<StatusFacts>): StatusFacts => ({ summary: false, inUse: false, epochs: 2, resume: 'runner --resume run', ...extra });
const ended = (status: 'completed' | 'interrupted' | 'diverged', extra = {}) => ({ status, endedAt: '2025-01-01T00:00:00Z', epoch: 2, ...extra });

describe('runStatus', () => {
  it('is completed with summary.json, whatever else the folder says', () => {
    expect(runStatus(facts({ summary: true, inUse: true, outcome: ended('diverged') }))).toEqual({ status: 'completed' });
  });

  it('is running while another runner holds the folder', () => {
    expect(runStatus(facts({ inUse: true, outcome: ended('interrupted') })).status).toBe('running');
  });

  it('is diverged with the recorded message and the epoch of the checkpoint shown', () => {
    const { status, note } = runStatus(facts({ outcome: ended('diverged', { message: 'non-finite loss at epoch 3 batch 5 (lr=1e+14).' }) }));
    expect(status).toBe('diverged');
    expect(note).toBe('non-finite loss at epoch 3 batch 5 (lr=1e+14). The last good checkpoint (epoch 2) is what this report shows.');
  });

  it('is interrupted after Ctrl-C, saying where, and after a kill that recorded nothing', () => {
    expect(runStatus(facts({ outcome: ended('interrupted', { batchInEpoch: 7 }) }))).toEqual({
      status: 'interrupted',
      note: 'Interrupted in epoch 3 after batch 7. runner --resume run continues it.',
    });
    const killed = runStatus(facts({}));
    expect(killed.status).toBe('interrupted');
    expect(killed.note).toContain('stopped before it finished (2 epochs written');
  });
});

describe('comparisonNames', () => {
  const run = (name: string, shown: string) => ({ info: { name } as never, shown });

  it("names runs by their config's name, by folder when configs repeat, by path when folders do too", () => {
    expect(comparisonNames([run('a', 'runs/x'), run('b', 'runs/y')])).toEqual(['a', 'b']);
    expect(comparisonNames([run('d', 'runs/init-normal'), run('d', 'runs/init-xavier'), run('e', 'runs/e')])).toEqual(['init-normal', 'init-xavier', 'e']);
    expect(comparisonNames([run('d', 'one/run'), run('d', 'two/run')])).toEqual(['one/run', 'two/run']);
  });
});
