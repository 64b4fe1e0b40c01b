package org.steppolicy.eval;

import java.nio.file.Path;
import java.util.Locale;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;

/**
 * Which Push-T policy the quickstart shows ({@code --task}): its small training config, the shipped export folder
 * evaluated first, the default episodes per method and the closing note on what a full run takes. The run itself is
 * one sequence for both ({@link Quickstart}); the task is read back from the config, so the config decides.
 */
public enum QuickstartTask {
    LOWDIM("lowdim", "configs/pusht-small.yaml", "models/pusht-lowdim", 10,
            "a policy of the shipped quality takes a full run: a few hours on 2 CPU cores (see docs/training.md)."),
    // 5, half the low-dim default: every policy call renders and encodes frames, and a policy that does not finish
    // the task runs each episode to its step limit; 5 keeps the shipped evaluation to a few minutes on 2 cores.
    IMAGE("image", "configs/pusht_image-small.yaml", "models/pusht-image", 5,
            "an image policy trains for many hours even at the small size, about 1 s a step on 2 CPU cores (see docs/performance.md).");

    private final String id, config, shipped, fullRun;
    private final int episodes;

    QuickstartTask(String id, String config, String shipped, int episodes, String fullRun) {
        this.id = id;
        this.config = config;
        this.shipped = shipped;
        this.episodes = episodes;
        this.fullRun = fullRun;
    }

    public String id() { return id; }

    /** The training config, relative to the working directory as the quickstart has always read it. */
    public Path config() { return Path.of(config); }

    /** Episodes per method unless --episodes says otherwise. */
    public int episodes() { return episodes; }

    /** The shipped export folder under the project root ./step passes as step.home, else the working directory. */
    public Path shipped(String stepHome) {
        return (stepHome == null ? Path.of("") : Path.of(stepHome)).resolve(shipped);
    }

    /** The line after both tables: the short run is a demonstration, and what a real one costs. */
    public String fullRunNote() {
        return "The short run shows the pipeline end to end on this machine; " + fullRun;
    }

    /** The task a config trains: image when it reads frames (task.image_key). */
    public static QuickstartTask of(StepConfig c) {
        return c.task().hasImages() ? IMAGE : LOWDIM;
    }

    public static QuickstartTask parse(String s) {
        for (QuickstartTask t : values()) if (t.id.equals(s.trim().toLowerCase(Locale.ROOT))) return t;
        throw new UserError("--task must be lowdim or image, got '" + s + "'");
    }
}
