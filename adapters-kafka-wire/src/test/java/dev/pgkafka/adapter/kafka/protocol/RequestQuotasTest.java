package dev.pgkafka.adapter.kafka.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.kafka.protocol.RequestDispatcher.Outcome;
import dev.pgkafka.application.port.in.ParkedTime;
import dev.pgkafka.application.port.in.ThrottlingUseCase;
import dev.pgkafka.domain.quota.QuotaClient;

/**
 * What every request counts against once answered: its handling time without time parked, a produce
 * request's size (and no request time for acks=0), and the longest throttle wins, written into
 * {@code throttle_time_ms} and handed to the connection.
 */
class RequestQuotasTest {
    private final Recording throttling = new Recording();

    @Test
    void aThrottledAnswerCarriesTheThrottleTimeAndTellsTheConnection() {
        throttling.requestThrottle = 250;
        RequestDispatcher dispatcher = new RequestDispatcher(List.of(handler(ApiKeys.API_VERSIONS,
                new ApiVersionsResponseData())), throttling);
        Outcome.Reply reply = assertInstanceOf(Outcome.Reply.class,
                dispatcher.dispatch(1, null, ClientSession.anonymous(new java.net.InetSocketAddress(0)),
                        frame(ApiKeys.API_VERSIONS, 3, new ApiVersionsRequestData().setClientSoftwareName("x")
                                .setClientSoftwareVersion("1"))));
        assertEquals(250, reply.throttleMs());
        assertEquals(250, ((ApiVersionsResponseData) read(ApiKeys.API_VERSIONS, 3, reply.bytes())).throttleTimeMs());
        assertEquals(new QuotaClient("ANONYMOUS", "client-a"), throttling.clients.getFirst());
    }

    @Test
    void answersWithoutAThrottleFieldStillThrottleTheConnection() {
        throttling.requestThrottle = 40;
        RequestDispatcher dispatcher = new RequestDispatcher(List.of(handler(ApiKeys.SASL_HANDSHAKE,
                new SaslHandshakeResponseData())), throttling);
        Outcome.Reply reply = assertInstanceOf(Outcome.Reply.class, dispatcher.dispatch(1, null,
                ClientSession.anonymous(new java.net.InetSocketAddress(0)),
                frame(ApiKeys.SASL_HANDSHAKE, 1, new SaslHandshakeRequestData().setMechanism("PLAIN"))));
        assertEquals(40, reply.throttleMs());
    }

    @Test
    void produceCountsItsSizeAndTheLongerThrottleWins() {
        throttling.produceThrottle = 900;
        throttling.requestThrottle = 100;
        RequestDispatcher dispatcher = new RequestDispatcher(List.of(handler(ApiKeys.PRODUCE,
                new ProduceResponseData())), throttling);
        ByteBuffer request = frame(ApiKeys.PRODUCE, 9, new ProduceRequestData().setAcks((short) 1).setTimeoutMs(1000));
        int size = request.remaining();
        Outcome.Reply reply = assertInstanceOf(Outcome.Reply.class, dispatcher.dispatch(1, null,
                ClientSession.anonymous(new java.net.InetSocketAddress(0)), request));
        assertEquals(900, reply.throttleMs());
        assertEquals(900, ((ProduceResponseData) read(ApiKeys.PRODUCE, 9, reply.bytes())).throttleTimeMs());
        assertEquals(List.of((long) size), throttling.produced);
        assertEquals(1, throttling.requestNanos.size());
    }

    @Test
    void anAcksZeroProduceIsThrottledForItsBytesOnly() {
        throttling.produceThrottle = 300;
        throttling.requestThrottle = 5000;
        RequestDispatcher dispatcher = new RequestDispatcher(List.of(new ApiHandler() {
            @Override
            public ApiKeys apiKey() {
                return ApiKeys.PRODUCE;
            }

            @Override
            public Response handle(RequestContext context, ApiMessage request) {
                return Response.none();
            }
        }), throttling);
        Outcome.NoReply none = assertInstanceOf(Outcome.NoReply.class, dispatcher.dispatch(1, null,
                ClientSession.anonymous(new java.net.InetSocketAddress(0)),
                frame(ApiKeys.PRODUCE, 9, new ProduceRequestData().setAcks((short) 0).setTimeoutMs(1000))));
        assertEquals(300, none.throttleMs());
        assertEquals(List.of(), throttling.requestNanos, "Kafka leaves acks=0 out of the request quota");
    }

    @Test
    void timeParkedIsNotHandlingTime() {
        RequestDispatcher dispatcher = new RequestDispatcher(List.of(new ApiHandler() {
            @Override
            public ApiKeys apiKey() {
                return ApiKeys.API_VERSIONS;
            }

            @Override
            public Response handle(RequestContext context, ApiMessage request) {
                long start = System.nanoTime();
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ParkedTime.add(System.nanoTime() - start); // as a long-poll fetch reports its wait
                return Response.of(new ApiVersionsResponseData());
            }
        }), throttling);
        dispatcher.dispatch(1, null, ClientSession.anonymous(new java.net.InetSocketAddress(0)),
                frame(ApiKeys.API_VERSIONS, 3, new ApiVersionsRequestData().setClientSoftwareName("x")
                        .setClientSoftwareVersion("1")));
        long counted = throttling.requestNanos.getFirst();
        assertTrue(counted < 100_000_000L, "counted " + counted / 1_000_000 + " ms of a 200 ms wait");
    }

    @Test
    void theHandlersOwnThrottleIsKept() {
        throttling.requestThrottle = 10;
        RequestDispatcher dispatcher = new RequestDispatcher(List.of(new ApiHandler() {
            @Override
            public ApiKeys apiKey() {
                return ApiKeys.API_VERSIONS;
            }

            @Override
            public Response handle(RequestContext context, ApiMessage request) {
                return Response.of(new ApiVersionsResponseData()).withThrottle(700); // e.g. a fetch over its quota
            }
        }), throttling);
        Outcome.Reply reply = assertInstanceOf(Outcome.Reply.class, dispatcher.dispatch(1, null,
                ClientSession.anonymous(new java.net.InetSocketAddress(0)),
                frame(ApiKeys.API_VERSIONS, 3, new ApiVersionsRequestData().setClientSoftwareName("x")
                        .setClientSoftwareVersion("1"))));
        assertEquals(700, reply.throttleMs());
        assertEquals(700, ((ApiVersionsResponseData) read(ApiKeys.API_VERSIONS, 3, reply.bytes())).throttleTimeMs());
    }

    private static ApiHandler handler(ApiKeys key, ApiMessage answer) {
        return new ApiHandler() {
            @Override
            public ApiKeys apiKey() {
                return key;
            }

            @Override
            public Response handle(RequestContext context, ApiMessage request) {
                return Response.of(answer);
            }
        };
    }

    private static ByteBuffer frame(ApiKeys key, int version, ApiMessage body) {
        RequestHeader header = new RequestHeader(key, (short) version, "client-a", 42);
        return RequestUtils.serialize(header.data(), header.headerVersion(), body, (short) version);
    }

    private static ApiMessage read(ApiKeys key, int version, ByteBuffer frame) {
        ByteBuffer b = frame.duplicate();
        b.position(4);
        new ResponseHeaderData(new ByteBufferAccessor(b), key.responseHeaderVersion((short) version));
        return AbstractResponse.parseResponse(key, new ByteBufferAccessor(b), (short) version).data();
    }

    /** Records what was counted and answers the throttle times a test sets. */
    private static final class Recording extends ThrottlingUseCase.Unlimited {
        final List<QuotaClient> clients = new ArrayList<>();
        final List<Long> produced = new ArrayList<>();
        final List<Long> requestNanos = new ArrayList<>();
        int produceThrottle;
        int requestThrottle;

        @Override
        public int recordProduce(QuotaClient client, long requestBytes) {
            produced.add(requestBytes);
            return produceThrottle;
        }

        @Override
        public int recordRequestTime(QuotaClient client, long nanos) {
            clients.add(client);
            requestNanos.add(nanos);
            return requestThrottle;
        }
    }
}
