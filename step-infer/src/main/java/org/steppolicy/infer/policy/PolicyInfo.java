package org.steppolicy.infer.policy;

import org.steppolicy.infer.SchedulerConfig;

/**
 * What a {@link StepPolicy} runs, all read from the model: sizes, the method and the noise scheduler it samples on.
 *
 * @param obsDim      values of one raw observation (image policies: low-dim values, then the cropped frame)
 * @param actionDim   values of one raw action
 * @param obsSteps    To, observations the model reads
 * @param actionSteps Ta, actions executed per model call
 * @param horizon     H, actions the model predicts per call
 * @param method      the method spec, e.g. "step:2"
 * @param provenance  the folders (and checkpoint steps) the models were loaded from, and the runtime
 */
public record PolicyInfo(int obsDim, int actionDim, int obsSteps, int actionSteps, int horizon, String method,
                         SchedulerConfig scheduler, String provenance) {}
