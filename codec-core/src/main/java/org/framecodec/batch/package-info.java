/**
 * Batching for inference: items from live streams grouped by size and deadline, with
 * backpressure. Infrastructure that knows nothing of JPEG.
 *
 * <p>{@link org.framecodec.batch.Batcher} collects {@link org.framecodec.batch.BatchItem}s tagged
 * with a stream id and a presentation timestamp and hands {@link org.framecodec.batch.Batch}es to
 * a consumer, one at a time and in order per stream. The items are usually
 * {@link org.framecodec.codec.EncodedFrame}s on their way to a detector, or raw frames on their
 * way to {@link org.framecodec.codec.ParallelBatchCodec}, which encodes or decodes one batch
 * across worker threads.
 */
package org.framecodec.batch;
