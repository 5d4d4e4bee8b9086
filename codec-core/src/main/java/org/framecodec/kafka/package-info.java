/**
 * Frames and detections through Apache Kafka, for systems that outgrow one machine: many ingest
 * nodes encode frames and write them to a topic, a consumer group of detection workers (one per
 * GPU or CPU detector) reads them, and the detections go to a results topic.
 *
 * <pre>
 *  ingest nodes                      Kafka                         detection workers
 *  FrameProducer ──▶ frames topic (key = stream id) ──▶ DetectionWorker (consumer group)
 *   encode pool        one stream = one partition       poll ▶ Batcher ▶ Detector
 *   Batcher policy     raw container + headers              │
 *                                                           ▼
 *  DetectionResultReader ◀── results topic (key = stream id) ◀┘ DetectionsJson per frame
 *                            dead-letter topic ◀── poison records
 * </pre>
 *
 * <p>The record value of a frame is the {@link org.framecodec.wire.RawContainer} of that one
 * frame (CRC-32C included), written by {@link org.framecodec.kafka.EncodedFrameSerializer} and
 * read by {@link org.framecodec.kafka.EncodedFrameDeserializer}; {@link
 * org.framecodec.kafka.FrameHeaders} names the headers that let a consumer route without parsing
 * the value. {@link org.framecodec.kafka.FrameProducer} encodes on a thread pool and sends,
 * with the {@link org.framecodec.batch.Batcher}'s overflow policies for backpressure. {@link
 * org.framecodec.kafka.DetectionWorker} is at-least-once: it commits an offset only after the
 * result of that frame, or its dead letter, is acknowledged by the broker. {@link
 * org.framecodec.kafka.DetectionResultReader} reads one stream's detections back in order.
 *
 * <p>Needs {@code org.apache.kafka:kafka-clients} (4.x) on the class path; codec-core declares
 * it optional. Sizing and measured throughput: docs/scaling.md.
 */
package org.framecodec.kafka;
