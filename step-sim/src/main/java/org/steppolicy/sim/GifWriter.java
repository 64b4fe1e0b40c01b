package org.steppolicy.sim;

import org.steppolicy.config.UserError;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes frames as a looping animated GIF with the JDK's ImageIO GIF writer. */
public final class GifWriter {
    private GifWriter() {}

    public static void write(List<BufferedImage> frames, Path out, int fps) {
        if (frames.isEmpty()) throw new IllegalArgumentException("no frames to write");
        if (fps < 1 || fps > 100) throw new IllegalArgumentException("fps must be in 1..100, got " + fps);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.deleteIfExists(out);
            try (ImageOutputStream ios = ImageIO.createImageOutputStream(out.toFile())) {
                writer.setOutput(ios);
                writer.prepareWriteSequence(null);
                boolean first = true;
                for (BufferedImage frame : frames) {
                    IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), null);
                    configure(meta, 100 / fps, first);
                    writer.writeToSequence(new IIOImage(frame, null, meta), null);
                    first = false;
                }
                writer.endWriteSequence();
            }
        } catch (IOException e) {
            throw new UserError(out + ": cannot write GIF (" + e.getMessage() + ")", e);
        } finally {
            writer.dispose();
        }
    }

    /** Frame delay in 1/100 s; the first frame carries the NETSCAPE2.0 extension that makes the GIF loop forever. */
    private static void configure(IIOMetadata meta, int delayCs, boolean first) throws IOException {
        String format = meta.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
        IIOMetadataNode gce = child(root, "GraphicControlExtension");
        gce.setAttribute("disposalMethod", "none");
        gce.setAttribute("userInputFlag", "FALSE");
        gce.setAttribute("transparentColorFlag", "FALSE");
        gce.setAttribute("delayTime", Integer.toString(delayCs));
        gce.setAttribute("transparentColorIndex", "0");
        if (first) {
            IIOMetadataNode apps = child(root, "ApplicationExtensions");
            IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
            app.setAttribute("applicationID", "NETSCAPE");
            app.setAttribute("authenticationCode", "2.0");
            app.setUserObject(new byte[] {1, 0, 0}); // sub-block 1, loop count 0 = forever
            apps.appendChild(app);
        }
        meta.setFromTree(format, root);
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) return (IIOMetadataNode) root.item(i);
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }
}
