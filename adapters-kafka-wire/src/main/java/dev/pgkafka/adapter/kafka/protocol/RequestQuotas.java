package dev.pgkafka.adapter.kafka.protocol;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import dev.pgkafka.application.port.in.ThrottlingUseCase;
import dev.pgkafka.domain.quota.QuotaClient;

/**
 * The quotas every request counts against once it is answered, as Kafka's request handling applies
 * them: the time it took ({@code request_percentage}) and, for Produce, its size
 * ({@code producer_byte_rate}); the answer's throttle time is the longest of these and what the handler
 * asked (a fetch's bytes, controller mutations). A throttled answer carries it in
 * {@code throttle_time_ms}.
 */
final class RequestQuotas {
    /** Each response class's {@code setThrottleTimeMs}, or null for the few without the field. */
    private static final ClassValue<MethodHandle> THROTTLE_SETTERS = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            try {
                return MethodHandles.publicLookup().findVirtual(type, "setThrottleTimeMs",
                        MethodType.methodType(type, int.class));
            } catch (NoSuchMethodException | IllegalAccessException e) {
                return null;
            }
        }
    };

    private final ThrottlingUseCase throttling;

    RequestQuotas(ThrottlingUseCase throttling) {
        this.throttling = throttling;
    }

    /**
     * Counts a handled request and returns the answer with the throttle time it must carry.
     *
     * @param requestBytes the request's size on the wire (header and body)
     * @param handlingNanos the time spent parsing and handling it, without time parked waiting
     */
    Response account(RequestContext context, ApiMessage request, int requestBytes, long handlingNanos,
                     Response response) {
        QuotaClient client = context.quotaClient();
        int throttle = response.throttleMs();
        boolean acksZero = false;
        if (context.apiKey() == ApiKeys.PRODUCE) {
            throttle = Math.max(throttle, throttling.recordProduce(client, requestBytes));
            acksZero = ((ProduceRequestData) request).acks() == 0;
        }
        if (!acksZero) {
            // Kafka leaves acks=0 produce requests out of the request quota: their client hears nothing
            throttle = Math.max(throttle, throttling.recordRequestTime(client, handlingNanos));
        }
        if (throttle <= 0) {
            return response;
        }
        if (response.body() != null) {
            setThrottleTime(response.body(), throttle);
        }
        return response.withThrottle(throttle);
    }

    private static void setThrottleTime(ApiMessage body, int ms) {
        MethodHandle setter = THROTTLE_SETTERS.get(body.getClass());
        if (setter == null) {
            return;
        }
        try {
            setter.invoke(body, ms);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot set the throttle time of " + body.getClass().getSimpleName(), e);
        }
    }
}
