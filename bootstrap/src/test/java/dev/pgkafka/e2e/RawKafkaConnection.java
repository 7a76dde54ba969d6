package dev.pgkafka.e2e;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * A bare Kafka protocol connection for tests that need to say exactly what goes on the wire:
 * hostile frames, pipelined requests, duplicate batches.
 */
final class RawKafkaConnection implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextCorrelationId = 1;

    RawKafkaConnection(String host, int port) throws IOException {
        this(connect(host, port));
    }

    /** Over a socket the test connected itself (e.g. from another local address). */
    RawKafkaConnection(Socket connected) throws IOException {
        socket = connected;
        socket.setSoTimeout(15_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    private static Socket connect(String host, int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), 5_000);
        return s;
    }

    /** Serialises a request (with its size prefix) without sending it. */
    static byte[] frame(ApiMessage body, short version, int correlationId) {
        ApiKeys key = ApiKeys.forId(body.apiKey());
        short headerVersion = key.requestHeaderVersion(version);
        RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(key.id)
                .setRequestApiVersion(version)
                .setCorrelationId(correlationId)
                .setClientId("raw-test");
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + body.size(cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(4 + size);
        buffer.putInt(size);
        ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        header.write(accessor, cache, headerVersion);
        body.write(accessor, cache, version);
        return buffer.array();
    }

    int send(ApiMessage body, short version) throws IOException {
        int correlationId = nextCorrelationId++;
        sendRaw(frame(body, version, correlationId));
        return correlationId;
    }

    /** How long reads wait before they give up (15 s unless set). */
    void readTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one response frame and checks its correlation id. */
    AbstractResponse receive(ApiKeys key, short version, int expectedCorrelationId) throws IOException {
        ByteBuffer frame = readFrame();
        ResponseHeader header = ResponseHeader.parse(frame, key.responseHeaderVersion(version));
        if (header.correlationId() != expectedCorrelationId) {
            throw new IllegalStateException("expected correlation id " + expectedCorrelationId + ", got "
                    + header.correlationId());
        }
        return AbstractResponse.parseResponse(key, new ByteBufferAccessor(frame), version);
    }

    <T extends AbstractResponse> T request(ApiMessage body, short version, Class<T> type) throws IOException {
        int id = send(body, version);
        return type.cast(receive(ApiKeys.forId(body.apiKey()), version, id));
    }

    ByteBuffer readFrame() throws IOException {
        int size = in.readInt();
        byte[] bytes = new byte[size];
        in.readFully(bytes);
        return ByteBuffer.wrap(bytes);
    }

    /** True when the broker closed the connection (end of stream) within the socket timeout. */
    boolean closedByBroker() throws IOException {
        try {
            return in.read() < 0;
        } catch (EOFException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            // connection reset is the broker closing too
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
