package org.steppolicy.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossPlotTest {
    @Test
    void tickLabelsStayInsideTheImage() {
        assertEquals(90, LossPlot.tickLabelX(100, 20, 800), "centred under the tick");
        assertEquals(800 - 36 - 2, LossPlot.tickLabelX(780, 36, 800), "the last tick's label is moved left, not cut");
        assertEquals(2, LossPlot.tickLabelX(5, 20, 800));
    }

    @Test
    void theLastStepLabelIsDrawnWhole(@TempDir Path dir) throws Exception {
        // A five-digit last step: before the fix its last digit fell off the right edge (68000 read as 6800).
        List<MetricsLog.Row> rows = new ArrayList<>();
        for (int s = 1; s <= 68_715; s += 50) rows.add(new MetricsLog.Row(s, 0.01 / Math.sqrt(s), 1e-4, s % 1000 == 1 ? 0.002 : Double.NaN, s));
        Path png = dir.resolve("loss.png");
        LossPlot.write(rows, "t", png);
        BufferedImage img = ImageIO.read(png.toFile());
        // the label row below the plot: some ink in the last columns' left neighbourhood, none cut at the very edge
        int y0 = img.getHeight() - 45 + 4, y1 = img.getHeight() - 45 + 18;
        boolean inkNearRight = false, inkAtEdge = false;
        for (int y = y0; y < y1; y++) {
            for (int x = img.getWidth() - 45; x < img.getWidth() - 2; x++) inkNearRight |= (img.getRGB(x, y) & 0xffffff) != 0xffffff;
            inkAtEdge |= (img.getRGB(img.getWidth() - 1, y) & 0xffffff) != 0xffffff;
        }
        assertTrue(inkNearRight, "the last tick label is drawn");
        assertTrue(!inkAtEdge, "and ends inside the image");
    }
}
