package org.steppolicy.data.zarr;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.steppolicy.data.DataFileException;
import org.steppolicy.data.EpisodeSplit;

/**
 * Converts DP's Push-T replay buffer ({@code pusht_cchi_v7_replay.zarr}, docs/reference/diffusion-policy.md §D.3) to the RoboMimic
 * layout of the official {@code pusht_cchi_v7_replay_lowdim.hdf5} (docs/data-layer.md): per episode
 * {@code actions}, {@code dones}, {@code obs/{agent_pos, state, keypoint (9×2 → 18), n_contacts}}, attrs
 * {@code num_samples} and {@code seed} (episode i was recorded from env seed i), {@code data@env_args},
 * {@code data@total}, and {@code /mask/valid}/{@code /mask/train} from DP's seeded split. Images ({@code data/img})
 * are not written: jhdf's writer holds every dataset in memory until the file is closed.
 * The output appears only when complete: it is written to a temporary file beside it, then renamed.
 */
public final class PushTZarrConverter {
    /** The Push-T env as DP's runner builds it (docs/reference/pusht-env.md): what the shipped file's data@env_args holds. */
    public static final String PUSHT_ENV_ARGS = "{\"env_name\": \"PushT\", \"type\": \"pusht\", \"env_kwargs\": "
            + "{\"legacy\": true, \"block_cog\": [0, 45], \"damping\": 0.0, \"render_size\": 96, \"sim_hz\": 100, "
            + "\"control_hz\": 10, \"k_p\": 100, \"k_v\": 20, \"goal_pose\": [256, 256, 0.7853981633974483], "
            + "\"success_threshold\": 0.95}}";
    public static final String SOURCE = "diffusion_policy pusht_cchi_v7_replay.zarr (MIT, Columbia AI & Robotics Lab)";

    /** What was written. */
    public record Summary(int episodes, long steps, List<String> validDemos) { }

    private PushTZarrConverter() { }

    public static Summary convert(Path zarr, Path out) {
        if (!Files.isDirectory(zarr)) throw new DataFileException(zarr, "/", "not a zarr directory");
        ZarrArray endsArr = ZarrArray.open(zarr, "meta/episode_ends");
        ZarrArray action = ZarrArray.open(zarr, "data/action");
        ZarrArray state = ZarrArray.open(zarr, "data/state");
        ZarrArray keypoint = ZarrArray.open(zarr, "data/keypoint");
        ZarrArray contacts = ZarrArray.open(zarr, "data/n_contacts");
        long n = action.rows();
        for (ZarrArray a : List.of(state, keypoint, contacts)) {
            if (a.rows() != n) throw new DataFileException(zarr, a.toString(), a.rows() + " rows but data/action has " + n);
        }
        checkWidth(zarr, action, 2, "data/action");
        checkWidth(zarr, state, 5, "data/state");
        checkWidth(zarr, keypoint, 18, "data/keypoint");
        checkWidth(zarr, contacts, 1, "data/n_contacts");
        long[] ends = endsArr.readLongs(0, endsArr.rows());
        long prev = 0;
        for (int i = 0; i < ends.length; i++) {
            if (ends[i] <= prev || ends[i] > n) {
                throw new DataFileException(zarr, "meta/episode_ends", "entry " + i + " = " + ends[i]
                        + " is not increasing within (0, " + n + "]");
            }
            prev = ends[i];
        }
        if (ends.length == 0 || prev != n) {
            throw new DataFileException(zarr, "meta/episode_ends", "ends at " + prev + " but the data has " + n + " steps");
        }
        boolean[] valid = EpisodeSplit.valMask(ends.length, EpisodeSplit.DEFAULT_VAL_RATIO, EpisodeSplit.DEFAULT_SEED);

        Path target = out.toAbsolutePath();
        Path tmp;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".partial");
        } catch (IOException e) {
            throw new DataFileException(out, "/", "cannot create: " + e.getMessage(), e);
        }
        List<String> validNames = new ArrayList<>(), trainNames = new ArrayList<>();
        try {
            try (WritableHdfFile w = HdfFile.write(tmp)) {
                WritableGroup data = w.putGroup("data");
                data.putAttribute("total", n);
                data.putAttribute("env_args", PUSHT_ENV_ARGS);
                data.putAttribute("source", SOURCE);
                long start = 0;
                for (int i = 0; i < ends.length; i++) {
                    int len = Math.toIntExact(ends[i] - start);
                    String name = "demo_" + i;
                    WritableGroup demo = data.putGroup(name);
                    demo.putAttribute("seed", (long) i);
                    demo.putAttribute("num_samples", (long) len);
                    float[][] st = rows(state.readFloats(start, ends[i]), len, 5);
                    float[][] agent = new float[len][];
                    for (int t = 0; t < len; t++) agent[t] = new float[] {st[t][0], st[t][1]};
                    long[] dones = new long[len];
                    dones[len - 1] = 1;
                    demo.putDataset("actions", rows(action.readFloats(start, ends[i]), len, 2));
                    demo.putDataset("dones", dones);
                    WritableGroup obs = demo.putGroup("obs");
                    obs.putDataset("agent_pos", agent);
                    obs.putDataset("state", st);
                    obs.putDataset("keypoint", rows(keypoint.readFloats(start, ends[i]), len, 18));
                    obs.putDataset("n_contacts", rows(contacts.readFloats(start, ends[i]), len, 1));
                    (valid[i] ? validNames : trainNames).add(name);
                    start = ends[i];
                }
                WritableGroup mask = w.putGroup("mask");
                mask.putDataset("valid", validNames.toArray(String[]::new));
                mask.putDataset("train", trainNames.toArray(String[]::new));
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DataFileException(out, "/", "cannot write: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort: the temporary file is named *.partial
            }
        }
        return new Summary(ends.length, n, validNames);
    }

    private static void checkWidth(Path zarr, ZarrArray a, int width, String name) {
        if (a.rowWidth() != width) {
            throw new DataFileException(zarr, name, a.rowWidth() + " values per step, Push-T has " + width);
        }
    }

    private static float[][] rows(float[] flat, int n, int d) {
        float[][] out = new float[n][d];
        for (int t = 0; t < n; t++) System.arraycopy(flat, t * d, out[t], 0, d);
        return out;
    }
}
