/*
 * FrameCodec's model-input kernel: one 8-bit image, letterboxed (or stretched) into one slot of
 * a float32 tensor, with channel reordering and per-channel normalisation, in one pass. No JNI:
 * the shim (framecodec_turbojpeg.c) and the fuzz harness both call it.
 *
 * Contract: fc_letterbox reads only src[0, src_cap) and writes only dst[0, dst_floats); every
 * geometry is checked against those capacities first. Stateless and thread-safe.
 */
#ifndef FC_TENSOR_H
#define FC_TENSOR_H

#include <stddef.h>

#include "fc_codec.h"

/* Must equal the constants in TensorNative.java; checked at load time. */
#define FC_INTERP_LINEAR 0
#define FC_INTERP_AREA 1

/* Where and how an image lands in one tensor slot of width x height x 3 floats. */
typedef struct fc_slot {
  int width;          /* tensor columns */
  int height;         /* tensor rows */
  int nchw;           /* 1: three planes of height x width; 0: interleaved (NHWC) */
  int rgb;            /* channel order in the tensor: 1 R,G,B; 0 B,G,R */
  float mean[3];      /* in tensor channel order: value = (pixel - mean[c]) * scale[c] */
  float scale[3];
  int pad;            /* pixel value 0..255 of the border, before normalisation */
  int interpolation;  /* FC_INTERP_LINEAR, or FC_INTERP_AREA (averages when shrinking) */
  int resized_width;  /* the image is resized to this, placed at (pad_x, pad_y) */
  int resized_height;
  int pad_x;
  int pad_y;
} fc_slot;

/*
 * Writes the image of sw x sh pixels (channels 1, or 3 in B,G,R order, or R,G,B when src_rgb),
 * rows spitch bytes apart in src[0, src_cap), into dst[0, dst_floats), which must hold
 * 3 * width * height floats. Bilinear sampling uses OpenCV's pixel-centre convention
 * (INTER_LINEAR); area averaging weights each source pixel by its overlap (INTER_AREA when
 * shrinking; enlarging falls back to bilinear, as OpenCV's does in spirit). Gray sources fill
 * all three channels. FC_ERR_ARG for any inconsistent geometry, FC_ERR_NOMEM if the small
 * sampling tables cannot be allocated.
 */
fc_status fc_letterbox(const unsigned char *src, size_t src_cap, int sw, int sh, int spitch,
                       int channels, int src_rgb, const fc_slot *slot, float *dst,
                       size_t dst_floats, char *msg, size_t msg_cap);

#endif /* FC_TENSOR_H */
