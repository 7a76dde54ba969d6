/** The Kafka wire adapter: listener, request dispatch and the API handlers. */
package dev.pgkafka.adapter.kafka;
