package dev.pgkafka.application.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/** The contract of {@link dev.pgkafka.application.port.out.ProducerIdPort}. */
public abstract class ProducerIdContract extends StorageContract {

    @Test
    void producerIdsAreNonNegativeAndIncreasing() {
        long previous = -1;
        for (int i = 0; i < 20; i++) {
            long id = storage.producerIds().nextProducerId();
            assertTrue(id >= 0, "ids are non-negative: " + id);
            assertTrue(id > previous, id + " follows " + previous);
            previous = id;
        }
    }

    @Test
    void concurrentCallersGetDistinctIds() throws Exception {
        List<Future<List<Long>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    List<Long> ids = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        ids.add(storage.producerIds().nextProducerId());
                    }
                    return ids;
                }));
            }
            Set<Long> all = new HashSet<>();
            for (Future<List<Long>> f : futures) {
                all.addAll(f.get());
            }
            assertEquals(200, all.size(), "no id handed out twice");
        }
    }

    @Test
    void idsAreNeverReusedAcrossInstances() {
        long before = storage.producerIds().nextProducerId();
        StorageUnderTest second = reopen();
        long fromSecond = second.producerIds().nextProducerId();
        long fromFirstAgain = storage.producerIds().nextProducerId();

        assertTrue(fromSecond > before, fromSecond + " after " + before);
        assertTrue(fromFirstAgain > fromSecond, fromFirstAgain + " after " + fromSecond);
        storage.close();
        StorageUnderTest third = reopen();
        assertTrue(third.producerIds().nextProducerId() > fromFirstAgain, "a restart does not hand out old ids");
    }
}
