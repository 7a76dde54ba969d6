package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.junit.jupiter.api.Test;

/** Pipelined requests are answered in order; hundreds of connections are served at once. */
class ConnectionsTest extends BrokerTestSupport {

    @Test
    void pipelinedRequestsAreAnsweredInRequestOrder() throws Exception {
        try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
            List<int[]> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                if (i % 2 == 0) {
                    sent.add(new int[] {conn.send(new ApiVersionsRequestData(), (short) 3), ApiKeys.API_VERSIONS.id});
                } else {
                    sent.add(new int[] {conn.send(new MetadataRequestData().setTopics(null), (short) 12),
                            ApiKeys.METADATA.id});
                }
            }
            for (int[] s : sent) {
                ApiKeys key = ApiKeys.forId(s[1]);
                AbstractResponse response = conn.receive(key, key == ApiKeys.API_VERSIONS ? (short) 3 : (short) 12, s[0]);
                if (response instanceof ApiVersionsResponse v) {
                    assertEquals(Errors.NONE.code(), v.data().errorCode());
                } else {
                    assertEquals(1, ((MetadataResponse) response).data().brokers().size());
                }
            }
        }
    }

    @Test
    void hundredsOfConcurrentConnectionsAreServed() throws Exception {
        int connections = 300;
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<RawKafkaConnection> open = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                open.add(new RawKafkaConnection("127.0.0.1", broker.kafkaPort()));
            }
            List<Future<Integer>> answers = new ArrayList<>();
            for (RawKafkaConnection conn : open) {
                answers.add(pool.submit((Callable<Integer>) () -> {
                    int ok = 0;
                    for (int r = 0; r < 3; r++) {
                        MetadataResponse response = conn.request(new MetadataRequestData().setTopics(null), (short) 12,
                                MetadataResponse.class);
                        ok += response.data().brokers().size();
                    }
                    return ok;
                }));
            }
            int total = 0;
            for (Future<Integer> f : answers) {
                total += f.get();
            }
            assertEquals(connections * 3, total);
        } finally {
            for (RawKafkaConnection conn : open) {
                conn.close();
            }
            pool.shutdown();
        }
        assertTrue(broker.kafkaPort() > 0);
    }
}
