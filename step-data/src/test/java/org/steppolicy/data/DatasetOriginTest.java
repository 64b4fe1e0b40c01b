package org.steppolicy.data;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.UserError;

/** A missing dataset is one line: where it is expected, where it comes from, and --data. */
class DatasetOriginTest {

    private static String messageFor(String config) {
        var c = ConfigLoader.load(Path.of(config), List.of("task.dataset=no/such/dir/file.hdf5"));
        UserError e = assertThrows(UserError.class, () -> DemoDataset.load(c.task()));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith("no/such/dir/file.hdf5: no such dataset file"), e.getMessage());
        assertTrue(e.getMessage().contains(Path.of("no/such/dir/file.hdf5").toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("--data FILE"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void robomimicPointsAtRobomimicsLowDimData() {
        for (String task : List.of("lift", "can", "square", "transport", "tool_hang")) {
            String m = messageFor("configs/" + task + ".yaml");
            assertTrue(m.contains("robomimic's published low-dim " + task) && m.contains("low_dim_abs.hdf5"), m);
        }
    }

    @Test
    void pushTPointsAtTheZarrAndItsConverter() {
        String m = messageFor("configs/pusht.yaml");
        assertTrue(m.contains("pusht_cchi_v7_replay.zarr") && m.contains("step data convert-zarr"), m);
        assertTrue(messageFor("configs/pusht_image-small.yaml").contains("frames"));
    }
}
