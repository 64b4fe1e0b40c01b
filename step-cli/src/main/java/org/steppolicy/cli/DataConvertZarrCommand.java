package org.steppolicy.cli;

import java.nio.file.Path;
import org.steppolicy.data.zarr.PushTZarrConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code step data convert-zarr IN.zarr OUT.hdf5}: DP's Push-T replay buffer to the RoboMimic HDF5 layout. */
@Command(name = "convert-zarr", mixinStandardHelpOptions = true,
        description = "Convert Diffusion Policy's Push-T zarr (pusht_cchi_v7_replay.zarr, Blosc/zstd) to the "
                + "RoboMimic HDF5 layout of the shipped low-dim file (actions, dones, obs/{agent_pos, state, keypoint, "
                + "n_contacts}, seeds, env_args, /mask/train and /mask/valid). Images are not converted. "
                + "OUT appears only when complete.")
public class DataConvertZarrCommand extends StepCommand {
    @Parameters(index = "0", paramLabel = "IN.zarr", description = "zarr directory")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT.hdf5", description = "HDF5 file to write")
    Path out;

    @Override
    public Integer call() {
        PushTZarrConverter.Summary s = PushTZarrConverter.convert(in, out);
        printf("wrote %s: %d demos, %d steps, valid %s (images not converted)%n", out,
                s.episodes(), s.steps(), String.join(", ", s.validDemos()));
        return 0;
    }
}
