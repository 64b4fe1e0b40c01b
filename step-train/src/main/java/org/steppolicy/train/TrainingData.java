package org.steppolicy.train;

import java.io.PrintStream;
import java.util.List;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.data.DataValidator;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.data.DemoDataset;
import org.steppolicy.data.Episode;
import org.steppolicy.data.ImageFrames;
import org.steppolicy.data.SequenceSampler;
import org.steppolicy.models.ImageObsSpec;

/**
 * The data a run trains on: loaded demos (checked), the normaliser and the normalised train/valid windows of one task;
 * separate from the jobs so loading and checking the data is one route whichever network trains on it.
 */
public record TrainingData(DemoDataset demos, DatasetNormalizer normalizer, WindowSource train, WindowSource valid,
                           ImageWindows trainImages, ImageWindows validImages) {

    /** Low-dim windows, and for visuomotor tasks (task.image_key) the image windows of the given layout. */
    public static TrainingData load(StepConfig c, DatasetNormalizer normalizer, ImageObsSpec images) {
        DemoDataset demos = DemoDataset.load(c.task());
        DatasetNormalizer norm = normalizer != null ? normalizer
                : DatasetNormalizer.fit(demos, c.task().obsNormalizer(), c.task().actionNormalizer());
        return windows(c, demos, norm, images);
    }

    public static TrainingData load(StepConfig c, DatasetNormalizer normalizer) {
        return load(c, normalizer, null);
    }

    /**
     * The demos, checked: non-finite values were refused while loading; outliers are printed as warnings, or
     * refused when task.outliers is refuse.
     */
    static DemoDataset loadChecked(StepConfig c, PrintStream progress) {
        DemoDataset demos = DemoDataset.load(c.task());
        DataValidator.Report r = demos.checks();
        if (r != null && r.outlierCount() > 0) {
            DataValidator.Finding first = r.outliers().get(0);
            String where = c.task().dataset() + ": " + r.outlierCount() + " value" + (r.outlierCount() == 1 ? "" : "s")
                    + " far outside their dimension's range, first " + first.describe();
            if (c.task().refuseOutliers())
                throw new UserError(where + " (task.outliers=refuse; `step data info " + c.task().dataset() + "` lists them)");
            if (progress != null) {
                progress.println("warning: " + where);
                progress.println("warning: the normaliser's range includes them; `step data info " + c.task().dataset()
                        + "` lists them, task.outliers=refuse stops here");
            }
        }
        return demos;
    }

    static TrainingData windows(StepConfig c, DemoDataset demos, DatasetNormalizer norm, ImageObsSpec images) {
        int T = c.task().horizon(), To = c.task().nObsSteps(), Ta = c.task().nActionSteps();
        SequenceSampler trainSampler = new SequenceSampler(demos.trainEpisodes(), T, To, Ta, norm);
        SequenceSampler validSampler = demos.validEpisodes().isEmpty() ? null
                : new SequenceSampler(demos.validEpisodes(), T, To, Ta, norm);
        ImageWindows trainImages = null, validImages = null;
        if (images != null) {
            trainImages = imageWindows(c, trainSampler, demos.trainEpisodes(), images);
            if (validSampler != null) validImages = imageWindows(c, validSampler, demos.validEpisodes(), images);
        }
        return new TrainingData(demos, norm, new SamplerWindows(trainSampler), validSampler == null ? null : new SamplerWindows(validSampler),
                trainImages, validImages);
    }

    private static ImageWindows imageWindows(StepConfig c, SequenceSampler sampler, List<Episode> episodes, ImageObsSpec spec) {
        ImageFrames frames = ImageFrames.open(c.datasetPath(), c.task().imageKey(),
                episodes.stream().map(Episode::name).toList(), ImageFrames.DEFAULT_CACHE_BYTES);
        return new ImageWindows(sampler, frames, spec);
    }
}
