/**
 * TrainingState (state/training.svelte.ts), its controls: pause, resume and cancel (and the state
 * event that overtakes their reply), refusals, a learning-rate change, and forgetting a deleted run.
 */
import { describe, expect, it } from 'vitest';
import { fail, ok } from '../../../src/shared/result';
import { holding } from '../../support/fake-api';
import { progress, snapshot, useManualFrames } from './fixtures';
import { running, trainingHarness } from './training-harness';

const frames = useManualFrames();

describe('TrainingState: controls', () => {
  it('pause and resume take the state the host answers; the controls follow it', async () => {
    const pauses = holding<'train:pause'>();
    const h = trainingHarness({
      'train:pause': pauses.handler,
      'train:resume': () => ok({ state: 'running' }),
    });
    await running(h);
    expect([h.training.canPause, h.training.canResume, h.training.canCancel]).toEqual([true, false, true]);

    const pausing = h.training.pause();
    expect(h.training.pending).toBe('pause');
    expect(h.training.canPause).toBe(false);
    expect(h.training.canCancel).toBe(true);
    pauses.calls[0]!.answer(ok({ state: 'paused' }));
    await pausing;
    expect(h.training.state).toBe('paused');
    expect([h.training.canPause, h.training.canResume]).toEqual([false, true]);

    await h.training.resume();
    expect(h.training.state).toBe('running');
    expect(h.api.argsOf('train:resume')).toEqual([{ jobId: 'j1' }]);
  });

  it('a state event that overtakes a control’s reply stands: the reply’s state is older', async () => {
    const pauses = holding<'train:pause'>();
    const h = trainingHarness({ 'train:pause': pauses.handler });
    await running(h);
    const pausing = h.training.pause();
    // The last epoch ended as the pause went out.
    h.stateChange('j1', 'completed');
    pauses.calls[0]!.answer(ok({ state: 'paused' }));
    await pausing;
    expect(h.training.state).toBe('completed');
    expect(h.training.pending).toBeNull();
  });

  it('a control’s reply for a job left behind changes nothing', async () => {
    const cancels = holding<'job:cancel'>();
    const h = trainingHarness({ 'job:cancel': cancels.handler });
    await running(h);
    const cancelling = h.training.cancel();
    // Another window started a run: its progress is the first this window hears of it.
    h.api.emit('train:did-progress', progress('j2', 1, 1));
    frames.flush();
    cancels.calls[0]!.answer(ok({ state: 'cancelled' }));
    await cancelling;
    expect(h.api.argsOf('job:cancel')).toEqual([{ jobId: 'j1' }]);
    expect(h.training.jobId).toBe('j2');
    expect(h.training.state).toBe('running');
  });

  it('a control refused because the host forgot the job stops offering controls; another refusal keeps them', async () => {
    const h = trainingHarness({
      'train:pause': () => fail('BUSY', 'saving a checkpoint'),
      'job:cancel': () => fail('JOB_NOT_FOUND', 'no such job'),
    });
    await running(h);
    await h.training.pause();
    expect(h.notices.current?.title).toBe('Could not pause: engine busy');
    expect(h.training.state).toBe('running');

    await h.training.cancel();
    expect(h.notices.current).toMatchObject({
      title: 'Could not cancel: run not found',
      message: 'no such job',
    });
    expect(h.training.state).toBe('cancelled');
    expect([h.training.canPause, h.training.canCancel, h.training.canStart]).toEqual([false, false, true]);
  });

  it('a learning-rate change applies from the next epoch and becomes the current rate', async () => {
    const h = trainingHarness({
      'train:set-learning-rate': ({ learningRate }) => ok({ learningRate }),
    });
    await running(h);
    h.api.emit('train:did-progress', progress('j1', 2, 3));
    frames.flush();
    expect(h.training.currentLearningRate).toBe(1e-3);
    expect(await h.training.setLearningRate(5e-4)).toBe(true);
    expect(h.api.argsOf('train:set-learning-rate')).toEqual([{ jobId: 'j1', learningRate: 5e-4 }]);
    expect(h.training.learningRateChange).toEqual({ learningRate: 5e-4, fromEpoch: 3 });
    expect(h.training.currentLearningRate).toBe(5e-4);
    expect(h.training.settingLearningRate).toBe(false);
  });

  it('a learning-rate reply for a job left behind is dropped', async () => {
    const changes = holding<'train:set-learning-rate'>();
    const h = trainingHarness({ 'train:set-learning-rate': changes.handler });
    await running(h);
    const setting = h.training.setLearningRate(5e-4);
    expect(h.training.settingLearningRate).toBe(true);
    h.stateChange('j2', 'running');
    changes.calls[0]!.answer(ok({ learningRate: 5e-4 }));
    expect(await setting).toBe(false);
    expect(h.training.learningRateChange).toBeNull();
    expect(h.training.settingLearningRate).toBe(false);
  });

  it('no learning-rate change, pause or cancel is sent without a running job', async () => {
    const h = trainingHarness();
    expect(await h.training.setLearningRate(5e-4)).toBe(false);
    await h.training.pause();
    await h.training.cancel();
    expect(h.api.calls).toEqual([]);
  });

  it('forgetting a deleted run clears its charts, never while it trains, and its late events stay out', async () => {
    const h = trainingHarness();
    await running(h);
    h.api.emit('train:did-end-epoch', snapshot('j1', 'r1', 1));
    h.training.forgetRun('r1');
    expect(h.training.runId).toBe('r1');
    expect(h.training.epochMetrics).toHaveLength(1);

    h.stateChange('j1', 'completed');
    h.training.forgetRun('other');
    expect(h.training.runId).toBe('r1');
    h.training.forgetRun('r1');
    expect(h.training.jobId).toBeNull();
    expect(h.training.runId).toBeNull();
    expect(h.training.state).toBe('idle');
    expect(h.training.epochMetrics).toEqual([]);
    h.api.emit('train:did-end-epoch', snapshot('j1', 'r1', 2));
    expect(h.training.epochMetrics).toEqual([]);
    expect(h.training.jobId).toBeNull();
  });
});
