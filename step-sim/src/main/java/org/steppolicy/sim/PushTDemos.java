package org.steppolicy.sim;

import org.steppolicy.data.Matrices;
import org.steppolicy.config.UserError;
import org.steppolicy.data.DemoDataset;
import org.steppolicy.data.Episode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Push-T demonstrations for replay and rendering: {@code actions}, {@code obs/state} and the {@code seed} attribute
 * of each demo of a RoboMimic-layout HDF5, read through step-data's {@link DemoDataset}.
 */
public final class PushTDemos {
    /** One recorded episode: actions[k] was applied after states[k] was observed. */
    public record Demo(String name, long seed, double[][] actions, double[][] states) {}

    private PushTDemos() {}

    /** Loads every demo, in the file's demo order. */
    public static List<Demo> loadAll(Path file) {
        DemoDataset ds = DemoDataset.load(file, List.of("state"),
                DemoDataset.LoadOptions.defaults().withDims(PushTSpec.STATE_DIM, PushTSpec.ACTION_DIM));
        List<Demo> out = new ArrayList<>();
        for (Episode e : ds.episodes()) out.add(toDemo(file, e));
        return out;
    }

    /** Loads demo_<index>. */
    public static Demo load(Path file, int index) {
        String name = "demo_" + index;
        for (Demo d : loadAll(file)) if (d.name().equals(name)) return d;
        throw new UserError(file + ": no demo " + index + " (no /data/" + name + ")");
    }

    private static Demo toDemo(Path file, Episode e) {
        if (e.seed().isEmpty()) {
            throw new UserError(file + ": /data/" + e.name() + " has no 'seed' attribute (needed for the legacy reset)");
        }
        long seed = e.seed().getAsLong();
        if (seed < 0 || seed > 0xFFFF_FFFFL) {
            throw new UserError(file + ": /data/" + e.name() + " has seed " + seed + ", outside numpy's 0 to 4294967295");
        }
        return new Demo(e.name(), seed, Matrices.widen(e.actions()), Matrices.widen(e.obs()));
    }

}
