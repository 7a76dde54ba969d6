package dev.pgkafka.adapter.kafka.record;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.pgkafka.domain.log.Compression;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;
import org.xerial.snappy.Snappy;

/**
 * The four codecs of a record batch's records section, in the framings Kafka's clients write and read:
 * <ul>
 *   <li>gzip: a gzip stream (RFC 1952), as {@code GZIPOutputStream};</li>
 *   <li>snappy: xerial snappy-java's stream framing ({@code SnappyOutputStream}: an 8-byte magic, two
 *       version ints, then chunks of int32 length + raw snappy). Raw unframed snappy, which librdkafka
 *       sends and {@code SnappyInputStream} accepts, is read too;</li>
 *   <li>lz4: the LZ4 frame format with independent blocks (Kafka's {@code Lz4BlockOutputStream});</li>
 *   <li>zstd: a zstd frame.</li>
 * </ul>
 * Decompression writes into a {@link GrowableBytes} whose limit bounds the memory any input can claim.
 */
final class Compressions {
    private static final byte[] XERIAL_MAGIC = {(byte) 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
    private static final int XERIAL_HEADER_SIZE = 16;
    private static final int XERIAL_VERSION = 1;
    /** SnappyOutputStream's default block size. */
    private static final int SNAPPY_BLOCK = 32 * 1024;

    private static final int LZ4_MAGIC = 0x184D2204;
    private static final int LZ4_UNCOMPRESSED_BIT = 0x80000000;
    private static final int LZ4_VERSION = 1;
    private static final int LZ4_FLG_BLOCK_INDEPENDENCE = 0x20;
    private static final int LZ4_FLG_BLOCK_CHECKSUM = 0x10;
    private static final int LZ4_FLG_CONTENT_SIZE = 0x08;
    private static final int LZ4_FLG_CONTENT_CHECKSUM = 0x04;
    /** Block maximum size 64 KiB, as Kafka writes. */
    private static final int LZ4_BD_64KB = 4 << 4;
    private static final int LZ4_BLOCK = 64 * 1024;

    /** Kafka's default levels: gzip's own default, zstd 3. */
    private static final int ZSTD_LEVEL = 3;

    private static final LZ4SafeDecompressor LZ4_DECOMPRESSOR = LZ4Factory.fastestInstance().safeDecompressor();
    private static final LZ4Compressor LZ4_COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
    private static final XXHash32 XXHASH = XXHashFactory.fastestInstance().hash32();

    private Compressions() {
    }

    /**
     * Appends the decompressed form of {@code src[off, off+len)} to {@code out}.
     *
     * @throws IOException when the data is not valid for the codec
     * @throws GrowableBytes.LimitExceeded when it decompresses to more than {@code out} may hold
     * @throws RuntimeException from the native codecs on some corrupt inputs
     */
    static void decompress(Compression codec, byte[] src, int off, int len, GrowableBytes out) throws IOException {
        switch (codec) {
            case NONE -> out.write(src, off, len);
            case GZIP -> {
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(src, off, len), 8192)) {
                    out.readFully(in);
                }
            }
            case SNAPPY -> snappyDecompress(src, off, len, out);
            case LZ4 -> lz4Decompress(src, off, len, out);
            case ZSTD -> {
                try (ZstdInputStreamNoFinalizer in = new ZstdInputStreamNoFinalizer(
                        new ByteArrayInputStream(src, off, len), RecyclingBufferPool.INSTANCE)) {
                    out.readFully(in);
                }
            }
        }
    }

    private static boolean startsWithXerialMagic(byte[] a, int at, int end) {
        if (end - at < XERIAL_MAGIC.length) {
            return false;
        }
        for (int i = 0; i < XERIAL_MAGIC.length; i++) {
            if (a[at + i] != XERIAL_MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static void snappyDecompress(byte[] src, int off, int len, GrowableBytes out) throws IOException {
        int end = off + len;
        if (!startsWithXerialMagic(src, off, end)) {
            rawSnappy(src, off, len, out);
            return;
        }
        int p = off;
        while (p < end) {
            // SnappyInputStream also accepts concatenated streams, each with its own header
            if (startsWithXerialMagic(src, p, end)) {
                if (end - p < XERIAL_HEADER_SIZE) {
                    throw new IOException("truncated snappy stream header");
                }
                p += XERIAL_HEADER_SIZE;
                continue;
            }
            if (end - p < 4) {
                throw new IOException("truncated snappy chunk length");
            }
            int chunk = BatchLayout.getInt(src, p);
            p += 4;
            if (chunk < 0 || chunk > end - p) {
                throw new IOException("snappy chunk of " + chunk + " bytes with " + (end - p) + " bytes left");
            }
            rawSnappy(src, p, chunk, out);
            p += chunk;
        }
    }

    private static void rawSnappy(byte[] src, int off, int len, GrowableBytes out) throws IOException {
        int n = Snappy.uncompressedLength(src, off, len);
        if (n < 0) {
            throw new IOException("invalid snappy uncompressed length " + n);
        }
        // room first: the native decoder writes the declared length without looking at the array
        out.ensureFree(n);
        int written = Snappy.uncompress(src, off, len, out.array, out.size);
        if (written != n) {
            throw new IOException("snappy block decompressed to " + written + " bytes, declared " + n);
        }
        out.size += written;
    }

    private static int intLE(byte[] a, int at) {
        return Integer.reverseBytes(BatchLayout.getInt(a, at));
    }

    private static void lz4Decompress(byte[] src, int off, int len, GrowableBytes out) throws IOException {
        int end = off + len;
        int p = off;
        if (len < 7 || intLE(src, p) != LZ4_MAGIC) {
            throw new IOException("not an LZ4 frame");
        }
        p += 4;
        int descriptor = p;
        int flg = src[p++] & 0xFF;
        int bd = src[p++] & 0xFF;
        if ((flg >>> 6) != LZ4_VERSION || (flg & 0x03) != 0) {
            throw new IOException("unsupported LZ4 frame flags " + flg);
        }
        // as Kafka: linked blocks need the previous block as dictionary, which Kafka never writes
        if ((flg & LZ4_FLG_BLOCK_INDEPENDENCE) == 0) {
            throw new IOException("dependent LZ4 blocks are unsupported");
        }
        int blockSizeId = (bd >>> 4) & 0x07;
        if ((bd & 0x8F) != 0 || blockSizeId < 4) {
            throw new IOException("invalid LZ4 block descriptor " + bd);
        }
        int maxBlock = 1 << (2 * blockSizeId + 8);
        if ((flg & LZ4_FLG_CONTENT_SIZE) != 0) {
            p += 8;
        }
        if (p >= end) {
            throw new IOException("truncated LZ4 frame descriptor");
        }
        int checksum = (XXHASH.hash(src, descriptor, p - descriptor, 0) >> 8) & 0xFF;
        if ((src[p++] & 0xFF) != checksum) {
            throw new IOException("LZ4 frame descriptor checksum mismatch");
        }
        boolean blockChecksum = (flg & LZ4_FLG_BLOCK_CHECKSUM) != 0;
        int contentStart = out.size;
        byte[] scratch = null;
        while (true) {
            if (end - p < 4) {
                throw new IOException("LZ4 frame ended before its end mark");
            }
            int blockSize = intLE(src, p);
            p += 4;
            if (blockSize == 0) {
                break;
            }
            boolean stored = (blockSize & LZ4_UNCOMPRESSED_BIT) != 0;
            blockSize &= ~LZ4_UNCOMPRESSED_BIT;
            if (blockSize > maxBlock || blockSize > end - p - (blockChecksum ? 4 : 0)) {
                throw new IOException("LZ4 block of " + blockSize + " bytes exceeds the frame or its maximum");
            }
            if (blockChecksum && XXHASH.hash(src, p, blockSize, 0) != intLE(src, p + blockSize)) {
                throw new IOException("LZ4 block checksum mismatch");
            }
            if (stored) {
                out.write(src, p, blockSize);
            } else if (out.limit - out.size >= maxBlock) {
                out.ensureFree(maxBlock);
                out.size += LZ4_DECOMPRESSOR.decompress(src, p, blockSize, out.array, out.size, maxBlock);
            } else {
                // close to the limit: decompress aside, so "too large" is told apart from "corrupt"
                if (scratch == null) {
                    scratch = new byte[maxBlock];
                }
                int n = LZ4_DECOMPRESSOR.decompress(src, p, blockSize, scratch, 0, maxBlock);
                out.write(scratch, 0, n);
            }
            p += blockSize + (blockChecksum ? 4 : 0);
        }
        if ((flg & LZ4_FLG_CONTENT_CHECKSUM) != 0) {
            if (end - p < 4) {
                throw new IOException("truncated LZ4 content checksum");
            }
            if (XXHASH.hash(out.array, contentStart, out.size - contentStart, 0) != intLE(src, p)) {
                throw new IOException("LZ4 content checksum mismatch");
            }
        }
    }

    /**
     * Compresses for the fetch path. Holds the native contexts worth reusing across the batches of one
     * response; not thread-safe, close it when done.
     */
    static final class Compressor implements AutoCloseable {
        // native contexts are costly to set up (zstd's is several hundred KiB): a few are kept between responses
        private static final int POOLED = Math.max(2, Runtime.getRuntime().availableProcessors());
        private static final BlockingQueue<Deflater> DEFLATERS = new ArrayBlockingQueue<>(POOLED);
        private static final BlockingQueue<ZstdCompressCtx> ZSTD_CONTEXTS = new ArrayBlockingQueue<>(POOLED);

        private Deflater deflater;
        private ZstdCompressCtx zstd;
        private final CRC32 crc = new CRC32();

        /** Appends the compressed form of {@code src[off, off+len)} to {@code out}. */
        void compress(Compression codec, byte[] src, int off, int len, GrowableBytes out) {
            switch (codec) {
                case NONE -> out.write(src, off, len);
                case GZIP -> gzip(src, off, len, out);
                case SNAPPY -> snappy(src, off, len, out);
                case LZ4 -> lz4(src, off, len, out);
                case ZSTD -> zstd(src, off, len, out);
            }
        }

        private void gzip(byte[] src, int off, int len, GrowableBytes out) {
            if (deflater == null) {
                deflater = DEFLATERS.poll();
                if (deflater == null) {
                    deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
                }
            }
            deflater.reset();
            // the 10-byte header GZIPOutputStream writes: magic, deflate, no flags, no mtime, unknown OS
            out.ensureFree(10);
            byte[] a = out.array;
            int p = out.size;
            a[p] = 0x1f;
            a[p + 1] = (byte) 0x8b;
            a[p + 2] = 8;
            for (int i = 3; i < 9; i++) {
                a[p + i] = 0;
            }
            a[p + 9] = (byte) 0xff;
            out.size += 10;
            deflater.setInput(src, off, len);
            deflater.finish();
            while (!deflater.finished()) {
                out.ensureFree(Math.max(512, len / 4));
                out.size += deflater.deflate(out.array, out.size, out.array.length - out.size);
            }
            crc.reset();
            crc.update(src, off, len);
            out.ensureFree(8);
            BatchLayout.putInt(out.array, out.size, Integer.reverseBytes((int) crc.getValue()));
            BatchLayout.putInt(out.array, out.size + 4, Integer.reverseBytes(len));
            out.size += 8;
        }

        private static void snappy(byte[] src, int off, int len, GrowableBytes out) {
            out.write(XERIAL_MAGIC, 0, XERIAL_MAGIC.length);
            out.ensureFree(8);
            BatchLayout.putInt(out.array, out.size, XERIAL_VERSION);
            BatchLayout.putInt(out.array, out.size + 4, XERIAL_VERSION);
            out.size += 8;
            for (int p = off, end = off + len; p < end; p += SNAPPY_BLOCK) {
                int n = Math.min(SNAPPY_BLOCK, end - p);
                out.ensureFree(4 + Snappy.maxCompressedLength(n));
                int written;
                try {
                    written = Snappy.compress(src, p, n, out.array, out.size + 4);
                } catch (IOException e) {
                    throw new IllegalStateException("snappy compression failed", e);
                }
                BatchLayout.putInt(out.array, out.size, written);
                out.size += 4 + written;
            }
        }

        private static void lz4(byte[] src, int off, int len, GrowableBytes out) {
            out.ensureFree(7);
            byte[] a = out.array;
            int p = out.size;
            BatchLayout.putInt(a, p, Integer.reverseBytes(LZ4_MAGIC));
            a[p + 4] = (byte) ((LZ4_VERSION << 6) | LZ4_FLG_BLOCK_INDEPENDENCE);
            a[p + 5] = (byte) LZ4_BD_64KB;
            a[p + 6] = (byte) ((XXHASH.hash(a, p + 4, 2, 0) >> 8) & 0xFF);
            out.size += 7;
            for (int q = off, end = off + len; q < end; q += LZ4_BLOCK) {
                int n = Math.min(LZ4_BLOCK, end - q);
                out.ensureFree(4 + Math.max(n, LZ4_COMPRESSOR.maxCompressedLength(n)));
                int written = LZ4_COMPRESSOR.compress(src, q, n, out.array, out.size + 4,
                        out.array.length - out.size - 4);
                int header = written;
                if (written >= n) {
                    // incompressible: stored as is, as Kafka does
                    System.arraycopy(src, q, out.array, out.size + 4, n);
                    written = n;
                    header = n | LZ4_UNCOMPRESSED_BIT;
                }
                BatchLayout.putInt(out.array, out.size, Integer.reverseBytes(header));
                out.size += 4 + written;
            }
            out.ensureFree(4);
            BatchLayout.putInt(out.array, out.size, 0);
            out.size += 4;
        }

        private void zstd(byte[] src, int off, int len, GrowableBytes out) {
            if (zstd == null) {
                zstd = ZSTD_CONTEXTS.poll();
                if (zstd == null) {
                    zstd = new ZstdCompressCtx().setLevel(ZSTD_LEVEL);
                }
            }
            out.ensureFree((int) Math.min(GrowableBytes.MAX_ARRAY, Zstd.compressBound(len)));
            out.size += zstd.compressByteArray(out.array, out.size, out.array.length - out.size, src, off, len);
        }

        @Override
        public void close() {
            if (deflater != null && !DEFLATERS.offer(deflater)) {
                deflater.end();
            }
            if (zstd != null && !ZSTD_CONTEXTS.offer(zstd)) {
                zstd.close();
            }
        }
    }
}
