package org.steppolicy.data;

import io.jhdf.api.Dataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Low-dim demonstrations loaded from a RoboMimic-layout HDF5 file (docs/reference/diffusion-policy.md §D.1): every demo in numeric
 * order, the obs keys concatenated in the given order, the train/valid split, the env_args JSON. Absolute RoboMimic
 * actions stored as axis-angle are converted to rot6d when the config asks for 10 values per arm
 * ({@link AbsActionConverter}). Image keys are not loaded here; read them frame by frame with {@link DemoFile#readFrames}.
 */
public final class DemoDataset {

    /**
     * What the caller expects. Null dims are not checked. The seeded split (val_ratio, seed) applies when the file has
     * no {@code /mask/train} or {@code /mask/valid}, or when {@code useFileMasks} is false: DP itself ignores a
     * RoboMimic file's masks and always draws {@code get_val_mask} (robomimic's own train/valid filter keys are a
     * different split). {@code maxTrainEpisodes} (DP's downsample_mask) applies to either split.
     */
    public record LoadOptions(Integer obsDim, Integer actionDim, double valRatio, long splitSeed,
                              Integer maxTrainEpisodes, boolean useFileMasks, double outlierK) {
        public LoadOptions(Integer obsDim, Integer actionDim, double valRatio, long splitSeed, Integer maxTrainEpisodes,
                           boolean useFileMasks) {
            this(obsDim, actionDim, valRatio, splitSeed, maxTrainEpisodes, useFileMasks, DataValidator.DEFAULT_K);
        }

        public static LoadOptions defaults() {
            return new LoadOptions(null, null, EpisodeSplit.DEFAULT_VAL_RATIO, EpisodeSplit.DEFAULT_SEED, null, true);
        }

        public LoadOptions withDims(Integer obs, Integer action) {
            return new LoadOptions(obs, action, valRatio, splitSeed, maxTrainEpisodes, useFileMasks, outlierK);
        }

        public LoadOptions withMaxTrainEpisodes(Integer max) {
            return new LoadOptions(obsDim, actionDim, valRatio, splitSeed, max, useFileMasks, outlierK);
        }

        public LoadOptions withSplit(double ratio, long seed, boolean fileMasks) {
            return new LoadOptions(obsDim, actionDim, ratio, seed, maxTrainEpisodes, fileMasks, outlierK);
        }

        /** task.outlier_k: how far outside a dimension's central range a value counts as an outlier (DataValidator). */
        public LoadOptions withOutlierK(double k) {
            return new LoadOptions(obsDim, actionDim, valRatio, splitSeed, maxTrainEpisodes, useFileMasks, k);
        }
    }

    private final Path source;
    private final List<String> obsKeys;
    private final List<Episode> episodes;
    private final EpisodeSplit split;
    private final String envArgs;
    private final AbsActionConverter actionConversion;
    private final DataValidator.Report checks;

    public DemoDataset(Path source, List<String> obsKeys, List<Episode> episodes, EpisodeSplit split, String envArgs) {
        this(source, obsKeys, episodes, split, envArgs, null, null);
    }

    /**
     * @param actionConversion how the file's actions were converted on load, null when they are as stored
     * @param checks the {@link DataValidator} report of the arrays (null when not checked)
     */
    public DemoDataset(Path source, List<String> obsKeys, List<Episode> episodes, EpisodeSplit split, String envArgs,
                       AbsActionConverter actionConversion, DataValidator.Report checks) {
        if (split.train().length != episodes.size() || split.valid().length != episodes.size()) {
            throw new IllegalArgumentException("split masks must cover " + episodes.size() + " episodes");
        }
        this.source = source;
        this.obsKeys = List.copyOf(obsKeys);
        this.episodes = List.copyOf(episodes);
        this.split = split;
        this.envArgs = envArgs;
        this.actionConversion = actionConversion;
        this.checks = checks;
    }

    /** The dataset a task config names, with its keys, dims and split settings; a missing file says where to get it. */
    public static DemoDataset load(org.steppolicy.config.TaskConfig task) {
        Path file = Path.of(task.dataset());
        if (!java.nio.file.Files.exists(file)) throw DatasetOrigin.missing(task, file);   // a folder gets the loader's own message
        LoadOptions o = LoadOptions.defaults().withDims(task.obsDim(), task.actionDim())
                .withSplit(task.valRatio(), task.splitSeed(), task.useFileMasks())
                .withMaxTrainEpisodes(task.maxTrainEpisodes()).withOutlierK(task.outlierK());
        return load(file, task.obsKeys(), o);
    }

    public static DemoDataset load(Path hdf5, List<String> obsKeys) {
        return load(hdf5, obsKeys, LoadOptions.defaults());
    }

    public static DemoDataset load(Path hdf5, List<String> obsKeys, LoadOptions options) {
        if (obsKeys.isEmpty()) throw new IllegalArgumentException("no obs keys given");
        try {
            return read(hdf5, obsKeys, options, true);
        } catch (RuntimeException e) {
            // Metadata jhdf cannot parse (outside DemoFile's guarded reads) is still the file's problem: one line, exit 2.
            if (e instanceof org.steppolicy.config.UserError || !DemoFile.isJhdfFailure(e)) throw e;
            throw new DataFileException(hdf5, null, "cannot read (truncated or corrupt file?): " + e, e);
        }
    }

    /**
     * Every check {@link #load} makes of the file's structure (steps per key, widths across demos, num_samples,
     * masks naming demos of /data), without reading the values (data info reads and reports them itself): what
     * {@code data info} runs, so it passes no file train-dp refuses for its structure.
     */
    static void checkStructure(Path hdf5, List<String> obsKeys, double outlierK) {
        read(hdf5, obsKeys, new LoadOptions(null, null, EpisodeSplit.DEFAULT_VAL_RATIO, EpisodeSplit.DEFAULT_SEED, null, true, outlierK), false);
    }

    /** @param values false: the structure only (dimensions, masks), no values read; returns null then */
    private static DemoDataset read(Path hdf5, List<String> obsKeys, LoadOptions options, boolean values) {
        try (DemoFile f = DemoFile.open(hdf5)) {
            List<Episode> episodes = new ArrayList<>();
            DataValidator validator = new DataValidator(options.outlierK());
            int[] keyWidths = null;
            int actionDim = -1;
            AbsActionConverter conversion = null;
            for (String demo : f.demoNames()) {
                String demoPath = DemoFile.demoPath(demo);
                Dataset actionsDs = f.actionsDataset(demo);
                int[] aDims = actionsDs.getDimensions();
                int n = aDims.length == 0 ? 0 : aDims[0];
                if (n == 0) throw new DataFileException(hdf5, demoPath, "empty demo (0 steps in actions)");
                OptionalLong numSamples = f.demoLongAttribute(demo, "num_samples");
                if (numSamples.isPresent() && numSamples.getAsLong() != n) {
                    throw new DataFileException(hdf5, demoPath, "num_samples says " + numSamples.getAsLong()
                            + " but actions has " + n + " steps");
                }
                List<Dataset> obsDs = new ArrayList<>();
                int[] widths = new int[obsKeys.size()];
                for (int k = 0; k < obsKeys.size(); k++) {
                    Dataset d = f.obsDataset(demo, obsKeys.get(k));
                    int[] dims = d.getDimensions();
                    int len = dims.length == 0 ? 0 : dims[0];
                    if (len != n) {
                        throw new DataFileException(hdf5, d.getPath(), len + " steps but actions has " + n);
                    }
                    widths[k] = 1;
                    for (int i = 1; i < dims.length; i++) widths[k] *= dims[i];
                    obsDs.add(d);
                }
                int da = 1;
                for (int i = 1; i < aDims.length; i++) da *= aDims[i];
                if (keyWidths == null) {
                    keyWidths = widths;
                    actionDim = da;
                    conversion = checkConfigDims(hdf5, demoPath, obsKeys, widths, da, options);
                } else {
                    for (int k = 0; k < widths.length; k++) {
                        if (widths[k] != keyWidths[k]) {
                            throw new DataFileException(hdf5, obsDs.get(k).getPath(), widths[k] + " values per step but "
                                    + f.demoNames().get(0) + " has " + keyWidths[k]);
                        }
                    }
                    if (da != actionDim) {
                        throw new DataFileException(hdf5, actionsDs.getPath(), da + " action dims but "
                                + f.demoNames().get(0) + " has " + actionDim);
                    }
                }
                if (!values) continue;
                float[][] actions = f.readRows(actionsDs, false);
                validator.add(demo, "actions", actions);   // as stored: a corrupt value is reported in the file's units
                if (conversion != null) actions = conversion.toRot6d(actions);
                float[][] obs = new float[n][sum(widths)];
                int col = 0;
                for (int k = 0; k < obsDs.size(); k++) {
                    float[][] rows = f.readRows(obsDs.get(k), false);
                    validator.add(demo, "obs/" + obsKeys.get(k), rows);
                    for (int t = 0; t < n; t++) System.arraycopy(rows[t], 0, obs[t], col, widths[k]);
                    col += widths[k];
                }
                episodes.add(new Episode(demo, f.demoLongAttribute(demo, "seed"), obs, actions));
            }
            if (!values) {
                splitFor(f, options);                     // the masks must name demos of /data
                return null;
            }
            DataValidator.Report checks = validator.report();
            if (checks.nonFiniteCount() > 0) {
                // Every caller (training, statistics, replay) refuses non-finite values; data info lists them all.
                DataValidator.Finding first = checks.nonFinite().get(0);
                String value = Float.isNaN(first.value()) ? "NaN" : "Inf";
                throw new DataFileException(hdf5, "/data/" + first.demo() + "/" + first.key(), value + " at step " + first.row()
                        + ", dim " + first.dim() + " (" + checks.nonFiniteCount() + " non-finite value"
                        + (checks.nonFiniteCount() == 1 ? "" : "s") + " in all; `step data info " + hdf5 + "` lists them)");
            }
            EpisodeSplit split = splitFor(f, options);
            return new DemoDataset(hdf5, obsKeys, episodes, split, f.envArgs().orElse(null), conversion, checks);
        }
    }

    /** Checks the file's widths against the config; returns the action conversion the config asks for, or null. */
    private static AbsActionConverter checkConfigDims(Path file, String demoPath, List<String> keys, int[] widths,
                                                      int actionDim, LoadOptions o) {
        int obsDim = sum(widths);
        if (o.obsDim() != null && o.obsDim() != obsDim) {
            List<String> parts = new ArrayList<>();
            for (int k = 0; k < keys.size(); k++) parts.add(keys.get(k) + " " + widths[k]);
            throw new DataFileException(file, demoPath + "/obs", "obs keys give " + obsDim + " values per step ("
                    + String.join(" + ", parts) + ") but the config says obs_dim " + o.obsDim());
        }
        if (o.actionDim() == null || o.actionDim() == actionDim) return null;
        // low_dim_abs.hdf5 stores axis-angle (7 per arm); DP's abs configs train on rot6d (10 per arm)
        return AbsActionConverter.between(actionDim, o.actionDim()).orElseThrow(() -> new DataFileException(file,
                demoPath + "/actions", "actions have " + actionDim + " dims but the config says action_dim " + o.actionDim()));
    }

    private static int sum(int[] a) {
        int s = 0;
        for (int v : a) s += v;
        return s;
    }

    /** The file's {@code /mask/train} and {@code /mask/valid} when present, else DP's seeded split. */
    private static EpisodeSplit splitFor(DemoFile f, LoadOptions o) {
        List<String> demos = f.demoNames();
        Optional<List<String>> valid = f.mask("valid");
        Optional<List<String>> train = f.mask("train");
        if (!o.useFileMasks() || (valid.isEmpty() && train.isEmpty())) {
            return EpisodeSplit.seeded(demos.size(), o.valRatio(), o.splitSeed(), o.maxTrainEpisodes());
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < demos.size(); i++) index.put(demos.get(i), i);
        boolean[] v = valid.map(names -> maskOf(f, "/mask/valid", names, index)).orElse(null);
        boolean[] t = train.map(names -> maskOf(f, "/mask/train", names, index)).orElse(null);
        if (v == null) v = not(t);
        if (t == null) t = not(v);
        for (int i = 0; i < demos.size(); i++) {
            if (t[i] && v[i]) {
                throw new DataFileException(f.path(), "/mask", demos.get(i) + " is in both /mask/train and /mask/valid");
            }
        }
        t = EpisodeSplit.downsample(t, o.maxTrainEpisodes(), o.splitSeed());
        String src = "file " + (train.isPresent() ? "/mask/train" : "complement of /mask/valid") + ", "
                + (valid.isPresent() ? "/mask/valid" : "complement of /mask/train")
                + (o.maxTrainEpisodes() == null ? "" : ", max_train_episodes " + o.maxTrainEpisodes()
                        + " (seed " + o.splitSeed() + ")");
        return new EpisodeSplit(t, v, src);
    }

    private static boolean[] maskOf(DemoFile f, String maskPath, List<String> names, Map<String, Integer> index) {
        boolean[] m = new boolean[index.size()];
        for (String name : names) {
            Integer i = index.get(name.trim());
            if (i == null) throw new DataFileException(f.path(), maskPath, "names '" + name + "', which is not in /data");
            m[i] = true;
        }
        return m;
    }

    private static boolean[] not(boolean[] m) {
        boolean[] r = new boolean[m.length];
        for (int i = 0; i < m.length; i++) r[i] = !m[i];
        return r;
    }

    public Path source() { return source; }

    public List<String> obsKeys() { return obsKeys; }

    public List<Episode> episodes() { return episodes; }

    public Episode episode(int i) { return episodes.get(i); }

    public int size() { return episodes.size(); }

    public EpisodeSplit split() { return split; }

    /** What {@link DataValidator} found in the loaded arrays (all finite here; outliers possible); null if unchecked. */
    public DataValidator.Report checks() { return checks; }

    /** {@code data@env_args} (JSON), or null when the file has none. */
    public String envArgs() { return envArgs; }

    /** How the actions were converted on load (7 → 10 per arm), empty when they are as the file stores them. */
    public Optional<AbsActionConverter> actionConversion() { return Optional.ofNullable(actionConversion); }

    public int obsDim() { return episodes.get(0).obsDim(); }

    public int actionDim() { return episodes.get(0).actionDim(); }

    public long totalSteps() {
        long s = 0;
        for (Episode e : episodes) s += e.length();
        return s;
    }

    public List<Episode> trainEpisodes() { return select(split.train()); }

    public List<Episode> validEpisodes() { return select(split.valid()); }

    private List<Episode> select(boolean[] mask) {
        List<Episode> out = new ArrayList<>();
        for (int i = 0; i < mask.length; i++) if (mask[i]) out.add(episodes.get(i));
        return Collections.unmodifiableList(out);
    }
}
