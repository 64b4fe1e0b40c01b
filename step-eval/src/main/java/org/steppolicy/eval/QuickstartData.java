package org.steppolicy.eval;

import org.steppolicy.config.UserError;
import org.steppolicy.data.zarr.PushTZarrConverter;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Where the quickstart's Push-T HDF5 comes from: --data, else $STEP_DATA, else the config's dataset path when it
 * exists, else the official zip (Diffusion Policy's training data, MIT) downloaded and converted to HDF5. The image
 * task reads --data, else the config's image file: $STEP_DATA and the conversion stand for the low-dim file (the
 * converter writes no frames).
 */
public final class QuickstartData {
    public static final String OFFICIAL_ZIP = "https://diffusion-policy.cs.columbia.edu/data/training/pusht.zip";

    private QuickstartData() {}

    public static Path resolve(Path data, String env, Path configured, QuickstartTask task, Path cacheDir, java.io.PrintWriter log) {
        if (data != null) return requireFile(data, "--data");
        if (task == QuickstartTask.IMAGE) {
            if (Files.isRegularFile(configured)) return configured;
            throw new UserError("no Push-T image data at " + configured + " (the download converts to the low-dim file only); "
                    + "pass --data FILE, the official pusht_cchi_v7_replay_image.hdf5");
        }
        if (env != null && !env.isBlank()) return requireFile(Path.of(env), "STEP_DATA");
        if (Files.isRegularFile(configured)) return configured;
        Path converted = cacheDir.resolve("pusht_cchi_v7_replay_lowdim.hdf5");
        if (Files.isRegularFile(converted)) return converted;
        log.println("no Push-T data found (--data, STEP_DATA, " + configured + "): downloading " + OFFICIAL_ZIP);
        log.flush();
        Path zarr = downloadAndUnzip(cacheDir, log);
        PushTZarrConverter.convert(zarr, converted);
        return converted;
    }

    private static Path requireFile(Path p, String from) {
        if (!Files.isRegularFile(p)) throw new UserError(p + ": no such file (from " + from + ")");
        return p;
    }

    private static Path downloadAndUnzip(Path cacheDir, java.io.PrintWriter log) {
        try {
            Files.createDirectories(cacheDir);
            Path zip = cacheDir.resolve("pusht.zip");
            Path part = cacheDir.resolve("pusht.zip.partial");
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpResponse<Path> r = client.send(HttpRequest.newBuilder(URI.create(OFFICIAL_ZIP)).build(),
                    HttpResponse.BodyHandlers.ofFile(part));
            if (r.statusCode() != 200) {
                Files.deleteIfExists(part);
                throw new UserError(OFFICIAL_ZIP + ": HTTP " + r.statusCode() + "; pass --data FILE or set STEP_DATA");
            }
            Files.move(part, zip, StandardCopyOption.REPLACE_EXISTING);
            Path root = cacheDir.resolve("unzipped");
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                    Path target = root.resolve(e.getName()).normalize();
                    if (!target.startsWith(root)) throw new UserError(zip + ": entry outside the archive root: " + e.getName());
                    if (e.isDirectory()) Files.createDirectories(target);
                    else {
                        Files.createDirectories(target.getParent());
                        Files.copy((InputStream) in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            try (var s = Files.walk(root)) {
                return s.filter(p -> p.getFileName().toString().equals("pusht_cchi_v7_replay.zarr")).findFirst()
                        .orElseThrow(() -> new UserError(zip + ": no pusht_cchi_v7_replay.zarr inside"));
            }
        } catch (IOException e) {
            throw new UserError("cannot download " + OFFICIAL_ZIP + " (" + e.getMessage() + "); pass --data FILE or set STEP_DATA");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("download of " + OFFICIAL_ZIP + " interrupted");
        }
    }
}
