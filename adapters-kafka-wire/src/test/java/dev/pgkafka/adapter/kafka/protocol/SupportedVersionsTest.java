package dev.pgkafka.adapter.kafka.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;

/** The advertised ranges are Apache Kafka 4.3.1's (shared/PROTOCOL.md). */
class SupportedVersionsTest {
    @Test
    void rangesMatchKafka() {
        assertRange(ApiKeys.API_VERSIONS, 0, 4);
        assertRange(ApiKeys.METADATA, 0, 13);
        assertRange(ApiKeys.PRODUCE, 0, 13);
        assertRange(ApiKeys.FETCH, 4, 18);
        assertRange(ApiKeys.LIST_OFFSETS, 1, 11);
        assertRange(ApiKeys.CREATE_TOPICS, 2, 7);
        assertRange(ApiKeys.INIT_PRODUCER_ID, 0, 5);
        assertRange(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, 0, 0);
        assertRange(ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, 0, 0);
        assertRange(ApiKeys.DESCRIBE_ACLS, 1, 3);
        assertRange(ApiKeys.CREATE_ACLS, 1, 3);
        assertRange(ApiKeys.DELETE_ACLS, 1, 3);
        assertRange(ApiKeys.DESCRIBE_CLIENT_QUOTAS, 0, 1);
        assertRange(ApiKeys.ALTER_CLIENT_QUOTAS, 0, 1);
    }

    @Test
    void produceIsAdvertisedFromZeroButParsedFromThree() {
        // Kafka 4 keeps advertising Produce v0 for old librdkafka versions, but v0-2 requests are gone
        assertFalse(SupportedVersions.isSupported(ApiKeys.PRODUCE, (short) 2));
        assertTrue(SupportedVersions.isSupported(ApiKeys.PRODUCE, (short) 3));
        assertFalse(SupportedVersions.isSupported(ApiKeys.FETCH, (short) 19));
    }

    private static void assertRange(ApiKeys key, int min, int max) {
        assertEquals(min, SupportedVersions.advertisedMin(key), key.name);
        assertEquals(max, SupportedVersions.advertisedMax(key), key.name);
    }
}
