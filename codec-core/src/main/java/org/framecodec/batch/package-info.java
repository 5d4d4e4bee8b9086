/**
 * Batching for inference: frames (or anything else) from live streams grouped by size and
 * deadline, with backpressure, and whole batches encoded or decoded in parallel.
 *
 * <p>{@link org.framecodec.batch.Batcher} collects {@link org.framecodec.batch.BatchItem}s tagged
 * with a stream id and a presentation timestamp and hands {@link org.framecodec.batch.Batch}es to
 * a consumer. {@link org.framecodec.batch.ParallelBatchCodec} encodes or decodes one batch across
 * worker threads, one {@link org.framecodec.codec.JpegCodec} per thread. The two are independent:
 * batch frames and encode them in the consumer, or encode per frame and batch the payloads.
 */
package org.framecodec.batch;
