package org.steppolicy.sim;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import org.steppolicy.config.UserError;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Push-T demonstrations from a RoboMimic-layout HDF5 file: {@code data/demo_<i>/actions}, {@code obs/state}
 * and the {@code seed} attribute of each demo. Kept small so it can later delegate to step-data's DemoDataset.
 */
public final class PushTDemos {
    /** One recorded episode: actions[k] was applied after states[k] was observed. */
    public record Demo(String name, long seed, double[][] actions, double[][] states) {}

    private static final Pattern DEMO = Pattern.compile("demo_(\\d+)");

    private PushTDemos() {}

    /** Names of the demos under /data, in numeric order. */
    public static List<String> names(Path file) {
        try (HdfFile hdf = open(file)) {
            return names(hdf, file);
        }
    }

    /** Loads every demo, in numeric order. */
    public static List<Demo> loadAll(Path file) {
        try (HdfFile hdf = open(file)) {
            List<Demo> out = new ArrayList<>();
            for (String name : names(hdf, file)) out.add(read(hdf, file, name));
            return out;
        }
    }

    /** Loads demo_<index>. */
    public static Demo load(Path file, int index) {
        try (HdfFile hdf = open(file)) {
            String name = "demo_" + index;
            if (!names(hdf, file).contains(name)) throw new UserError(file + ": no demo " + index + " (no /data/" + name + ")");
            return read(hdf, file, name);
        }
    }

    private static HdfFile open(Path file) {
        if (!Files.isRegularFile(file)) throw new UserError(file + ": no such file");
        try {
            return new HdfFile(file);
        } catch (RuntimeException e) {
            throw new UserError(file + ": not a readable HDF5 file (" + e.getMessage() + ")", e);
        }
    }

    private static List<String> names(HdfFile hdf, Path file) {
        Node data = hdf.getChildren().get("data");
        if (!(data instanceof Group g)) throw new UserError(file + ": no /data group (expected the RoboMimic layout)");
        List<String> names = new ArrayList<>();
        for (String n : g.getChildren().keySet()) if (DEMO.matcher(n).matches()) names.add(n);
        names.sort(Comparator.comparingInt(PushTDemos::index));
        if (names.isEmpty()) throw new UserError(file + ": /data has no demo_<i> groups");
        return names;
    }

    private static int index(String name) {
        Matcher m = DEMO.matcher(name);
        return m.matches() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
    }

    private static Demo read(HdfFile hdf, Path file, String name) {
        String base = "data/" + name;
        Node group = hdf.getByPath(base);
        Attribute seedAttr = group.getAttribute("seed");
        if (seedAttr == null) throw new UserError(file + ": /" + base + " has no 'seed' attribute (needed for the legacy reset)");
        long seed = scalarLong(seedAttr.getData(), file, base);
        double[][] actions = matrix(hdf, file, base + "/actions", PushTSpec.ACTION_DIM);
        double[][] states = matrix(hdf, file, base + "/obs/state", PushTSpec.STATE_DIM);
        if (actions.length != states.length) {
            throw new UserError(file + ": /" + base + " has " + actions.length + " actions but " + states.length + " states");
        }
        return new Demo(name, seed, actions, states);
    }

    private static long scalarLong(Object data, Path file, String base) {
        if (data instanceof Number n) return n.longValue();
        if (data instanceof long[] a && a.length == 1) return a[0];
        if (data instanceof int[] a && a.length == 1) return a[0];
        throw new UserError(file + ": /" + base + " attribute 'seed' is not an integer scalar");
    }

    private static double[][] matrix(HdfFile hdf, Path file, String path, int cols) {
        Dataset ds;
        try {
            ds = hdf.getDatasetByPath(path);
        } catch (RuntimeException e) {
            throw new UserError(file + ": missing dataset /" + path);
        }
        int[] dims = ds.getDimensions();
        if (dims.length != 2 || dims[1] != cols) {
            throw new UserError(file + ": /" + path + " has shape " + java.util.Arrays.toString(dims) + ", expected (n, " + cols + ")");
        }
        Object data = ds.getData();
        double[][] out = new double[dims[0]][cols];
        if (data instanceof float[][] f) {
            for (int i = 0; i < dims[0]; i++) for (int j = 0; j < cols; j++) out[i][j] = f[i][j];
        } else if (data instanceof double[][] d) {
            for (int i = 0; i < dims[0]; i++) out[i] = d[i].clone();
        } else {
            throw new UserError(file + ": /" + path + " is not a float32/float64 dataset");
        }
        return out;
    }
}
