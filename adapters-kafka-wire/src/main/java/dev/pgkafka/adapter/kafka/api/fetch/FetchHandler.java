package dev.pgkafka.adapter.kafka.api.fetch;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.record.internal.MemoryRecords;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.protocol.Uuids;
import dev.pgkafka.adapter.kafka.record.RecordBatchEncoder;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.FetchUseCase;
import dev.pgkafka.application.port.in.FetchUseCase.AbortedTransaction;
import dev.pgkafka.application.port.in.FetchUseCase.FetchCommand;
import dev.pgkafka.application.port.in.FetchUseCase.PartitionData;
import dev.pgkafka.application.port.in.FetchUseCase.PartitionFetch;
import dev.pgkafka.application.port.in.ThrottlingUseCase;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.application.port.out.StorageUnavailableException;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.log.IsolationLevel;
import dev.pgkafka.domain.log.StoredRecord;
import dev.pgkafka.domain.quota.QuotaClient;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;
import dev.pgkafka.domain.topic.Topic;

/**
 * Fetch, with incremental fetch sessions (KIP-227): a full fetch names every partition; a session's
 * later fetches name only what changed, and its answers leave out partitions with nothing new.
 * Topics are named before v13 and identified by id from v13.
 *
 * <p>As Kafka, every fetch (also each of a session's) asks for READ on each topic (TOPIC_AUTHORIZATION_FAILED
 * for its partitions otherwise, before telling whether the topic exists); a fetch from a replica
 * (replica id 0 or more) needs CLUSTER_ACTION instead, else all of its partitions are refused.
 *
 * <p>A consumer's {@code consumer_byte_rate} (KIP-13, KIP-219): a fetch reads at most what the quota
 * allows over its windows; a consumer already over its quota gets an empty answer with the throttle
 * time (a new session is not created, an incremental one moves on); an answer that takes it over the
 * quota carries the throttle time.
 */
public final class FetchHandler implements ApiHandler {
    /** Kafka's defaults: max.incremental.fetch.session.cache.slots and an idle limit like its eviction. */
    private static final int MAX_SESSIONS = 1000;
    private static final long SESSION_IDLE_MILLIS = 120_000;
    private static final int INITIAL_EPOCH = 0;
    private static final int FINAL_EPOCH = -1;

    /** Fetch v15 moved the replica id into ReplicaState (KIP-903). */
    private static final short REPLICA_STATE_VERSION = 15;

    private final FetchUseCase fetch;
    private final TopicsUseCase topics;
    private final AuthHelper auth;
    private final ThrottlingUseCase throttling;
    private final FetchSessionCache sessions = new FetchSessionCache(MAX_SESSIONS, SESSION_IDLE_MILLIS);

    /** Without client quotas. */
    public FetchHandler(FetchUseCase fetch, TopicsUseCase topics, AuthHelper auth) {
        this(fetch, topics, auth, ThrottlingUseCase.UNLIMITED);
    }

    public FetchHandler(FetchUseCase fetch, TopicsUseCase topics, AuthHelper auth, ThrottlingUseCase throttling) {
        this.fetch = fetch;
        this.topics = topics;
        this.auth = auth;
        this.throttling = throttling;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FETCH;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        FetchRequestData request = (FetchRequestData) message;
        QuotaClient client = context.quotaClient();
        long maxBytes = throttling.maxFetchBytes(client);
        if (maxBytes == Long.MAX_VALUE || replicaId(context, request) >= 0) {
            return answer(context, request); // no consumer quota (replicas have none in Kafka either)
        }
        int throttle = throttling.fetchThrottleMs(client);
        if (throttle > 0) {
            // still over its quota (another connection of its bucket, or a client that did not wait): no read
            Response throttled = withheld(context, request, null, throttle);
            if (throttled != null) {
                return throttled;
            }
        }
        if (maxBytes < request.maxBytes()) {
            // as Kafka: never more in one answer than the quota allows over its windows
            request.setMaxBytes((int) maxBytes).setMinBytes(Math.min(request.minBytes(), (int) maxBytes));
        }
        FetchSession session = isIncremental(request) ? sessions.get(request.sessionId()) : null;
        if (session != null) {
            session.lock.lock(); // held across the answer, so what it changes can be put back
        }
        try {
            SessionState before = session == null ? null : SessionState.of(session);
            Response response = answer(context, request);
            if (!(response.body() instanceof FetchResponseData data) || data.errorCode() != Errors.NONE.code()) {
                return response;
            }
            int size = data.size(new ObjectSerializationCache(), context.apiVersion());
            throttle = throttling.recordFetch(client, size);
            if (throttle == 0) {
                return response;
            }
            // as Kafka: an answer that takes the consumer over its quota is not sent, nor counted
            throttling.unrecordFetch(client, size);
            if (before != null) {
                before.restore(session);
            } else if (data.sessionId() != 0) {
                sessions.remove(data.sessionId()); // the session this full fetch opened: none while throttled
            }
            return withheld(context, request, data, throttle);
        } finally {
            if (session != null) {
                session.lock.unlock();
            }
        }
    }

    private static boolean isIncremental(FetchRequestData request) {
        return request.sessionId() != 0 && request.sessionEpoch() != INITIAL_EPOCH && request.sessionEpoch() != FINAL_EPOCH;
    }

    /**
     * Kafka's answer to a consumer over its quota: no records and the throttle time. A full fetch gets no
     * session (id 0: the client starts one at its next fetch). An incremental fetch moves its session on
     * as Kafka does: the request's offsets and partitions taken, the next epoch expected, what the client
     * was last told kept, since it is told nothing now.
     *
     * @param answered the answer that was computed and withheld (its session already moved on), or null
     *                 when nothing was read: then null is returned for a session that is gone or out of
     *                 step, to be answered with the session error
     */
    private Response withheld(RequestContext context, FetchRequestData request, FetchResponseData answered,
                              int throttleMs) {
        int sessionId = request.sessionId();
        int epoch = request.sessionEpoch();
        if (epoch == FINAL_EPOCH || epoch == INITIAL_EPOCH) {
            if (sessionId != 0) {
                sessions.remove(sessionId);
            }
            return Response.of(emptyAnswer(0, throttleMs)).withThrottle(throttleMs);
        }
        FetchSession session = sessionId == 0 ? null : sessions.get(sessionId);
        if (session == null) {
            return null;
        }
        session.lock.lock();
        try {
            if (answered == null) {
                if (epoch != session.nextEpoch) {
                    return null;
                }
                session.advanceEpoch();
            }
            update(session, request, context.apiVersion() >= 13);
            return Response.of(emptyAnswer(session.id, throttleMs)).withThrottle(throttleMs);
        } finally {
            session.lock.unlock();
        }
    }

    private static FetchResponseData emptyAnswer(int sessionId, int throttleMs) {
        return new FetchResponseData().setThrottleTimeMs(throttleMs).setErrorCode(Errors.NONE.code())
                .setSessionId(sessionId);
    }

    /** A session's partitions as they were before an answer, to put back when the answer is withheld. */
    private record SessionState(List<Map.Entry<PartitionKey, SessionPartition>> order, List<long[]> told) {
        static SessionState of(FetchSession session) {
            List<Map.Entry<PartitionKey, SessionPartition>> order = new ArrayList<>();
            List<long[]> told = new ArrayList<>();
            session.partitions.forEach((key, sp) -> {
                order.add(Map.entry(key, sp));
                told.add(new long[] {sp.fetchOffset, sp.maxBytes, sp.lastHighWatermark, sp.lastStableOffset,
                        sp.lastLogStartOffset});
            });
            return new SessionState(order, told);
        }

        void restore(FetchSession session) {
            session.partitions.clear();
            for (int i = 0; i < order.size(); i++) {
                SessionPartition sp = order.get(i).getValue();
                long[] t = told.get(i);
                sp.fetchOffset = t[0];
                sp.maxBytes = (int) t[1];
                sp.lastHighWatermark = t[2];
                sp.lastStableOffset = t[3];
                sp.lastLogStartOffset = t[4];
                session.partitions.put(order.get(i).getKey(), sp);
            }
        }
    }

    private Response answer(RequestContext context, FetchRequestData request) {
        boolean byId = context.apiVersion() >= 13;
        int sessionId = request.sessionId();
        int epoch = request.sessionEpoch();

        if (sessionId != 0 && (epoch == FINAL_EPOCH || epoch == INITIAL_EPOCH)) {
            sessions.remove(sessionId);
        }
        if (epoch == FINAL_EPOCH) {
            return Response.of(full(context, request, byId, false));
        }
        if (epoch == INITIAL_EPOCH) {
            return Response.of(full(context, request, byId, true));
        }
        if (sessionId == 0) {
            return Response.of(sessionError(Errors.INVALID_FETCH_SESSION_EPOCH));
        }
        FetchSession session = sessions.get(sessionId);
        if (session == null) {
            return Response.of(sessionError(Errors.FETCH_SESSION_ID_NOT_FOUND));
        }
        session.lock.lock();
        try {
            if (epoch != session.nextEpoch) {
                return Response.of(sessionError(Errors.INVALID_FETCH_SESSION_EPOCH));
            }
            update(session, request, byId);
            FetchResponseData response = respond(context, request, session.partitions.values(), byId, false, session);
            response.setSessionId(session.id);
            session.advanceEpoch();
            return Response.of(response);
        } finally {
            session.lock.unlock();
        }
    }

    private FetchResponseData full(RequestContext context, FetchRequestData request, boolean byId, boolean newSession) {
        LinkedHashMap<PartitionKey, SessionPartition> partitions = new LinkedHashMap<>();
        for (FetchRequestData.FetchTopic topic : request.topics()) {
            for (FetchRequestData.FetchPartition p : topic.partitions()) {
                partitions.put(PartitionKey.of(byId, topic.topic(), topic.topicId(), p.partition()),
                        new SessionPartition(topic.topic(), topic.topicId(), p.partition(), p.fetchOffset(),
                                p.partitionMaxBytes()));
            }
        }
        if (!newSession) {
            return respond(context, request, partitions.values(), byId, true, null).setSessionId(0);
        }
        FetchSession session = sessions.create(byId, partitions);
        session.lock.lock();
        try {
            FetchResponseData response = respond(context, request, partitions.values(), byId, true, session);
            response.setSessionId(session.id);
            return response; // the session starts at epoch 1: the client's next request carries it
        } finally {
            session.lock.unlock();
        }
    }

    private static void update(FetchSession session, FetchRequestData request, boolean byId) {
        for (FetchRequestData.FetchTopic topic : request.topics()) {
            for (FetchRequestData.FetchPartition p : topic.partitions()) {
                PartitionKey key = PartitionKey.of(byId, topic.topic(), topic.topicId(), p.partition());
                SessionPartition existing = session.partitions.get(key);
                if (existing == null) {
                    session.partitions.put(key, new SessionPartition(topic.topic(), topic.topicId(), p.partition(),
                            p.fetchOffset(), p.partitionMaxBytes()));
                } else {
                    existing.fetchOffset = p.fetchOffset();
                    existing.maxBytes = p.partitionMaxBytes();
                }
            }
        }
        for (FetchRequestData.ForgottenTopic forgotten : request.forgottenTopicsData()) {
            for (int partition : forgotten.partitions()) {
                session.partitions.remove(PartitionKey.of(byId, forgotten.topic(), forgotten.topicId(), partition));
            }
        }
    }

    private FetchResponseData respond(RequestContext context, FetchRequestData request,
                                      Collection<SessionPartition> partitions, boolean byId, boolean full,
                                      FetchSession session) {
        List<SessionPartition> order = new ArrayList<>(partitions);
        List<Optional<Topic>> resolved = new ArrayList<>(order.size());
        List<String> names = new ArrayList<>();
        for (SessionPartition sp : order) {
            Optional<Topic> topic = byId ? topics.find(Uuids.fromKafka(sp.topicId)) : topics.find(sp.topicName);
            resolved.add(topic);
            if (!byId || topic.isPresent()) {
                names.add(byId ? topic.get().name() : sp.topicName);
            }
        }
        boolean follower = replicaId(context, request) >= 0;
        boolean replicationAllowed = follower && auth.authorizeCluster(context, AclOperation.CLUSTER_ACTION);
        Set<String> readable = follower ? Set.of()
                : auth.filterByAuthorized(context, AclOperation.READ, ResourceType.TOPIC, names);

        Map<SessionPartition, ErrorCode> unresolved = new HashMap<>();
        List<PartitionFetch> toFetch = new ArrayList<>();
        List<SessionPartition> fetched = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            SessionPartition sp = order.get(i);
            Optional<Topic> topic = resolved.get(i);
            if (follower && !replicationAllowed) {
                unresolved.put(sp, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
            } else if (byId && topic.isEmpty()) {
                unresolved.put(sp, ErrorCode.UNKNOWN_TOPIC_ID);
            } else if (!follower && !readable.contains(byId ? topic.get().name() : sp.topicName)) {
                unresolved.put(sp, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
            } else if (topic.isEmpty() || !topic.get().hasPartition(sp.partition)) {
                unresolved.put(sp, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
            } else {
                toFetch.add(new PartitionFetch(topic.get(), sp.partition, sp.fetchOffset, sp.maxBytes));
                fetched.add(sp);
            }
        }

        Map<SessionPartition, PartitionData> data = new HashMap<>();
        if (!toFetch.isEmpty()) {
            // an error answers at once, as in Kafka
            Duration maxWait = unresolved.isEmpty() ? Duration.ofMillis(Math.max(0, request.maxWaitMs())) : Duration.ZERO;
            IsolationLevel isolation = request.isolationLevel() == 1 ? IsolationLevel.READ_COMMITTED
                    : IsolationLevel.READ_UNCOMMITTED;
            List<PartitionData> results;
            try {
                results = fetch.fetch(new FetchCommand(toFetch, request.maxBytes(), request.minBytes(), maxWait, isolation))
                        .partitions();
            } catch (StorageUnavailableException e) {
                // after the fetch waited out its max_wait: an error on each partition (the consumer refreshes
                // metadata and fetches again) rather than a top-level error, which would end its fetch session
                results = toFetch.stream().map(pf -> new PartitionData(pf.topic(), pf.partition(),
                        ErrorCode.KAFKA_STORAGE_ERROR, null, List.<StoredRecord>of(), List.<AbortedTransaction>of()))
                        .toList();
            }
            for (int i = 0; i < fetched.size(); i++) {
                data.put(fetched.get(i), results.get(i));
            }
        }

        FetchResponseData response = new FetchResponseData().setThrottleTimeMs(0).setErrorCode(Errors.NONE.code());
        Map<Object, FetchResponseData.FetchableTopicResponse> topicResponses = new LinkedHashMap<>();
        List<SessionPartition> returnedData = new ArrayList<>();
        for (SessionPartition sp : order) {
            FetchResponseData.PartitionData partition;
            PartitionData pd = data.get(sp);
            if (pd == null) {
                partition = errorPartition(sp.partition, unresolved.get(sp));
                if (session != null) {
                    sp.update(false, true, -1, -1, -1);
                }
            } else {
                partition = partitionResponse(pd, request.isolationLevel() == 1);
                boolean mustRespond = session == null || sp.update(!pd.records().isEmpty(), pd.error() != ErrorCode.NONE,
                        partition.highWatermark(), partition.lastStableOffset(), partition.logStartOffset());
                if (!full && !mustRespond) {
                    continue;
                }
                if (!pd.records().isEmpty()) {
                    returnedData.add(sp);
                }
            }
            Object topicKey = byId ? sp.topicId : sp.topicName;
            topicResponses.computeIfAbsent(topicKey, k -> {
                FetchResponseData.FetchableTopicResponse t = new FetchResponseData.FetchableTopicResponse();
                if (byId) {
                    t.setTopicId(sp.topicId);
                } else {
                    t.setTopic(sp.topicName);
                }
                return t;
            }).partitions().add(partition);
        }
        response.responses().addAll(topicResponses.values());
        if (session != null) {
            rotate(session, returnedData);
        }
        return response;
    }

    private FetchResponseData.PartitionData partitionResponse(PartitionData pd, boolean readCommitted) {
        FetchResponseData.PartitionData partition = new FetchResponseData.PartitionData()
                .setPartitionIndex(pd.partition())
                .setErrorCode(ErrorCodes.code(pd.error()))
                .setPreferredReadReplica(-1);
        if (pd.head() != null) {
            partition.setHighWatermark(pd.head().highWatermark())
                    .setLastStableOffset(pd.head().lastStableOffset())
                    .setLogStartOffset(pd.head().logStartOffset());
        } else {
            partition.setHighWatermark(-1).setLastStableOffset(-1).setLogStartOffset(-1);
        }
        if (readCommitted) {
            List<FetchResponseData.AbortedTransaction> aborted = new ArrayList<>();
            for (AbortedTransaction a : pd.abortedTransactions()) {
                aborted.add(new FetchResponseData.AbortedTransaction()
                        .setProducerId(a.producerId())
                        .setFirstOffset(a.firstOffset()));
            }
            partition.setAbortedTransactions(aborted);
        } else {
            partition.setAbortedTransactions(null);
        }
        if (pd.records().isEmpty()) {
            partition.setRecords(MemoryRecords.EMPTY);
        } else {
            ByteBuffer encoded = RecordBatchEncoder.encode(pd.records(),
                    topics.logConfig(pd.topic()).compressionType().orElse(null));
            partition.setRecords(MemoryRecords.readableRecords(encoded));
        }
        return partition;
    }

    private static FetchResponseData.PartitionData errorPartition(int partition, ErrorCode error) {
        return new FetchResponseData.PartitionData()
                .setPartitionIndex(partition)
                .setErrorCode(ErrorCodes.code(error))
                .setHighWatermark(-1)
                .setLastStableOffset(-1)
                .setLogStartOffset(-1)
                .setPreferredReadReplica(-1)
                .setAbortedTransactions(null)
                .setRecords(MemoryRecords.EMPTY);
    }

    /** Partitions that just returned data go to the back of the session, so the next byte budget favours the rest. */
    private static void rotate(FetchSession session, List<SessionPartition> returnedData) {
        for (SessionPartition sp : returnedData) {
            PartitionKey key = PartitionKey.of(session.byTopicId, sp.topicName, sp.topicId, sp.partition);
            SessionPartition removed = session.partitions.remove(key);
            if (removed != null) {
                session.partitions.put(key, removed);
            }
        }
    }

    private static FetchResponseData sessionError(Errors error) {
        return new FetchResponseData().setThrottleTimeMs(0).setErrorCode(error.code()).setSessionId(0);
    }

    /** Kafka's FetchRequest.replicaId: consumers send -1, brokers replicating a partition their id. */
    private static int replicaId(RequestContext context, FetchRequestData request) {
        return context.apiVersion() >= REPLICA_STATE_VERSION ? request.replicaState().replicaId() : request.replicaId();
    }

    /** For tests and health output. */
    int sessionCount() {
        return sessions.size();
    }
}
