package org.framecodec.detect;

/**
 * A landmark of a detection, in the same pixel coordinates as its {@link Box}. Not clipped to the
 * frame: a landmark of a face at the edge may lie outside it. Immutable.
 */
public record Keypoint(float x, float y) {}
