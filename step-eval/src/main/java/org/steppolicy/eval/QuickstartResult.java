package org.steppolicy.eval;

/**
 * What a quickstart produced: the shipped policy's evaluation (null when the folder was missing) and the short run's,
 * each with its title, the training minutes the short run got, and the whole quickstart's wall time in minutes.
 */
public record QuickstartResult(EvalSummary shipped, String shippedTitle, EvalSummary shortRun, String shortRunTitle,
                               double trainingMinutes, double totalMinutes) {}
