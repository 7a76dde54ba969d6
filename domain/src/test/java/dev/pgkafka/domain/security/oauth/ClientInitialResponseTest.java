package dev.pgkafka.domain.security.oauth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 7628's client initial response as Kafka frames it, byte for byte. */
class ClientInitialResponseTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsTheTokenWithoutAnAuthorizationId() {
        ClientInitialResponse r = ClientInitialResponse.parse(bytes("n,,\u0001auth=Bearer abc.def.ghi\u0001\u0001"));
        assertEquals("", r.authorizationId());
        assertEquals("abc.def.ghi", r.token());
        assertEquals(Map.of(), r.extensions());
    }

    @Test
    void readsTheAuthorizationIdAndExtensionsAsSent() {
        ClientInitialResponse r = ClientInitialResponse.parse(bytes(
                "n,a=al=2Cice=3D,\u0001traceId=a b=c\u0001auth=bearer   tok-_~+/.en==\u0001logicalCluster=lkc-1\u0001\u0001"));
        assertEquals("al=2Cice=3D", r.authorizationId(), "escapes kept, as Kafka keeps them");
        assertEquals("tok-_~+/.en==", r.token());
        assertEquals(Map.of("traceId", "a b=c", "logicalCluster", "lkc-1"), r.extensions());
    }

    @Test
    void aRepeatedKeyKeepsItsLastValue() {
        assertEquals("second", ClientInitialResponse.parse(bytes(
                "n,,\u0001auth=Bearer first\u0001auth=Bearer second\u0001\u0001")).token());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "n,,", "n,,\u0001", "y,,\u0001auth=Bearer t\u0001\u0001",
            "n,a=,\u0001auth=Bearer t\u0001\u0001", "n,a=b=2D,\u0001auth=Bearer t\u0001\u0001",
            "n,,\u0001auth=Bearer t\u0001", "n,,\u0001auth=Bearer t\u0001\u0001\u0001", "n,,auth=Bearer t\u0001\u0001",
            "n,,\u0001auth=Bearer t\u0001x\u0001\u0001", "n,,\u0001au1th=Bearer t\u0001\u0001",
            "n,,\u0001=Bearer t\u0001\u0001", "n,,\u0001auth=\u0001\u0001", "n,,\u0001auth=Bearer t\u0000\u0001\u0001",
            "n,,\u0001auth=Bearer t\u00e9\u0001\u0001", "n,a=\u00e9,\u0001auth=Bearer t\u0001\u0001"})
    void refusesWhatIsNotAClientInitialResponse(String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientInitialResponse.parse(bytes(message)));
        assertEquals("Invalid OAUTHBEARER client first message", e.getMessage());
    }

    @Test
    void explainsAMissingOrMalformedAuthValue() {
        assertEquals("Invalid OAUTHBEARER client first message: 'auth' not specified",
                assertThrows(IllegalArgumentException.class, () -> ClientInitialResponse.parse(
                        bytes("n,,\u0001x=y\u0001\u0001"))).getMessage());
        assertEquals("Invalid OAUTHBEARER client first message: 'auth' not specified",
                assertThrows(IllegalArgumentException.class, () -> ClientInitialResponse.parse(
                        bytes("n,,\u0001\u0001"))).getMessage());
        assertEquals("Invalid OAUTHBEARER client first message: invalid 'auth' format",
                assertThrows(IllegalArgumentException.class, () -> ClientInitialResponse.parse(
                        bytes("n,,\u0001auth=Bearer a b\u0001\u0001"))).getMessage());
        assertEquals("Invalid OAUTHBEARER client first message: invalid 'auth' format",
                assertThrows(IllegalArgumentException.class, () -> ClientInitialResponse.parse(
                        bytes("n,,\u0001auth=Bearer\u0001\u0001"))).getMessage());
        assertEquals("Invalid scheme in OAUTHBEARER client first message: Basic",
                assertThrows(IllegalArgumentException.class, () -> ClientInitialResponse.parse(
                        bytes("n,,\u0001auth=Basic dXNlcjpwYXNz\u0001\u0001"))).getMessage());
    }

    @Test
    void writesWhatItReads() {
        byte[] message = bytes("n,a=bob,\u0001auth=Bearer x.y.z\u0001k=v\u0001\u0001");
        ClientInitialResponse r = ClientInitialResponse.parse(message);
        assertArrayEquals(message, r.toBytes());
        assertEquals("ClientInitialResponse[authorizationId=bob, extensions=[k]]", r.toString());
    }
}
