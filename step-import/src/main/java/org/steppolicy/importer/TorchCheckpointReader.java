package org.steppolicy.importer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.steppolicy.config.UserError;

/**
 * A PyTorch zip checkpoint ({@code torch.save} since 1.6): {@code <prefix>/data.pkl} (the pickle, read by
 * {@link SafeUnpickler}) and one record {@code <prefix>/data/<key>} per storage. The prefix is {@code archive} when
 * saved through a file object and the file's stem when saved by path, so the pickle is found by its name's end.
 * Read through the central directory ({@link ZipFile}): torch writes STORED records with data descriptors, which
 * {@code ZipInputStream} rejects. Storages are read on demand, once. Errors are {@link UserError}s without the file name.
 */
public final class TorchCheckpointReader implements AutoCloseable {
    private static final long MAX_PICKLE_BYTES = 1L << 30;

    private final ZipFile zip;
    private final String prefix;
    private final Object payload;
    private final Map<String, byte[]> storages = new HashMap<>();

    private TorchCheckpointReader(ZipFile zip, String prefix, Object payload) {
        this.zip = zip;
        this.prefix = prefix;
        this.payload = payload;
    }

    public static TorchCheckpointReader open(Path file) {
        if (!Files.isRegularFile(file)) throw new UserError(org.steppolicy.run.FileErrors.whyNotAFile(file));
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new UserError(notZip(file));
        } catch (IOException e) {
            throw new UserError("cannot read: " + e.getMessage());
        }
        try {
            ZipEntry pkl = null;
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                String n = e.getName();
                if (n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - "/data.pkl".length()) {
                    if (pkl != null) throw new UserError("not a PyTorch checkpoint: two data.pkl records (" + pkl.getName() + ", " + n + ")");
                    pkl = e;
                }
            }
            if (pkl == null) throw new UserError("not a PyTorch checkpoint: the zip archive has no <prefix>/data.pkl record");
            String prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
            ZipEntry order = zip.getEntry(prefix + "byteorder");
            if (order != null && !new String(read(zip, order, 16)).trim().equals("little"))
                throw new UserError("big-endian checkpoints are not supported");
            Object payload = SafeUnpickler.load(read(zip, pkl, MAX_PICKLE_BYTES));
            return new TorchCheckpointReader(zip, prefix, payload);
        } catch (RuntimeException e) {
            closeQuietly(zip);
            throw e;
        }
    }

    /** The unpickled object (a workspace checkpoint's payload dict, or whatever else was saved). */
    public Object payload() {
        return payload;
    }

    /** The tensor's values as float32, converted from its storage type. */
    public float[] floats(TorchTensor t) {
        TorchTensor.Storage s = t.storage();
        byte[] raw = storages.get(s.key());
        if (raw == null) {
            ZipEntry e = zip.getEntry(prefix + "data/" + s.key());
            if (e == null) throw new UserError("truncated checkpoint: storage record " + prefix + "data/" + s.key() + " is missing");
            long need;
            try {
                need = Math.multiplyExact(s.numel(), (long) s.dtype().bytes());
            } catch (ArithmeticException ex) {
                throw new UserError("malformed checkpoint: storage " + s.key() + " claims " + s.numel() + " elements");
            }
            raw = read(zip, e, need);
            if (raw.length != need)
                throw new UserError("truncated checkpoint: storage " + s.key() + " holds " + raw.length + " bytes, its tensor needs " + need);
            storages.put(s.key(), raw);
        }
        return s.dtype().toFloats(raw, t.offset(), t.shape(), t.stride());
    }

    /**
     * A record's bytes, at most {@code limit}, checked against the CRC-32 the central directory gives: Java's
     * ZipFile checks none for STORED records (torch's), so a flipped byte inside a tensor would otherwise import.
     */
    private static byte[] read(ZipFile zip, ZipEntry e, long limit) {
        if (e.getSize() > limit) throw new UserError("record " + e.getName() + " is larger than expected (" + e.getSize() + " bytes)");
        byte[] data;
        try (InputStream in = zip.getInputStream(e)) {
            data = in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8));
            if (in.read() >= 0) throw new UserError("record " + e.getName() + " holds more than the " + limit + " bytes expected");
        } catch (ZipException ex) {
            throw new UserError("corrupt zip record " + e.getName() + ": " + ex.getMessage());
        } catch (IOException ex) {
            throw new UserError("cannot read record " + e.getName() + " (truncated file?): " + ex.getMessage());
        }
        CRC32 crc = new CRC32();
        crc.update(data);
        if (e.getCrc() != crc.getValue())
            throw new UserError("corrupt zip record " + e.getName() + ": its CRC-32 is " + Long.toHexString(crc.getValue())
                    + ", the archive says " + Long.toHexString(e.getCrc()) + " (a damaged or altered file)");
        return data;
    }

    /** Why a file is not a zip: a pre-1.6 torch.save file (a bare pickle) gets its own message. */
    private static String notZip(Path file) {
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, 4);
            if (n >= 2 && (head[0] & 0xFF) == 0x80 && head[1] <= 5)
                return "not a zip archive: a bare pickle (PyTorch's legacy pre-1.6 format or a plain pickle); re-save it with torch.save in a recent PyTorch";
            if (n >= 2 && head[0] == 'P' && head[1] == 'K') return "truncated or corrupt zip archive (no central directory)";
        } catch (IOException ignored) {
            // fall through to the generic message
        }
        return "not a PyTorch checkpoint (not a zip archive)";
    }

    private static void closeQuietly(ZipFile z) {
        try {
            z.close();
        } catch (IOException ignored) {
            // read-only
        }
    }

    @Override
    public void close() {
        closeQuietly(zip);
    }
}
