/**
 * RecordBatch v2: decoding and validating what producers send, encoding what consumers fetch,
 * and the four compression codecs.
 */
package dev.pgkafka.adapter.kafka.record;
