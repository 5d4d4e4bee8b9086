/*
 * libFuzzer harness for the shim's decode path (fc_codec.c), run under AddressSanitizer and
 * UndefinedBehaviorSanitizer with no JVM: the bytes are a JPEG payload as it would arrive from
 * the network.
 *
 * For each input it does what TurboJpegCodec does: read the header, apply a pixel limit (as
 * Limits.maxPixels would), then decode into exactly-sized heap buffers every way the Java side
 * can ask for: BGR and RGB, with and without the cv2-yuv transform, GRAY, padded row pitches,
 * and I420 planes. Each output buffer is allocated to the byte, so a write one past the image
 * that our code makes is an ASan report. It also checks the guards themselves: a destination one
 * byte too small, and a size that differs from the header, must be refused with FC_ERR_ARG
 * before TurboJPEG runs. Last, it decodes a reference JPEG made at start-up and compares the
 * pixels: whatever the input did, the handle must decode the next payload exactly as a fresh one
 * would (this is how the stale-decompressor bug of fc_codec.c's reset_decompressor was caught).
 * It also decodes at 1/2, 1/4 and 1/8 into exactly-sized buffers (fc_decompress_scaled, the
 * detector's path) and letterboxes what it decoded into an exactly-sized float tensor slot
 * (fc_tensor.c), with the input's bytes choosing the slot geometry, so the model-input kernel is
 * fuzzed against every image shape a JPEG header can declare.
 * Any other outcome aborts, which libFuzzer reports as a crash.
 *
 * Build and run: codec-bench/bin/fuzz.sh (or fuzz-native.sh beside this file).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

#include "fc_codec.h"
#include "fc_tensor.h"

/* Well under Limits.DEFAULT_MAX_PIXELS: keeps each execution fast; larger headers are refused
 * by the Java side's limit before native code sees them, so nothing is lost. */
#define FUZZ_MAX_PIXELS (1u << 20)

static fc_handle *handle;
/* A 16x16 cv2-yuv 4:2:0 JPEG made by fc_compress, and its decoded BGR pixels. */
#define REF_SIZE 16
static unsigned char ref_jpeg[4096];
static size_t ref_len;
static unsigned char ref_bgr[REF_SIZE * REF_SIZE * 3];

static void expect(int ok, const char *what, const char *msg) {
  if (!ok) {
    fprintf(stderr, "fuzz_decode: %s (%s)\n", what, msg);
    abort();
  }
}

/* Decodes into a buffer of exactly the image's span; failures other than damage are bugs. */
static void decode(const uint8_t *data, size_t size, const fc_header *hdr, int pf, int color,
                   int pad) {
  char msg[FC_MSG_MAX] = "";
  int ps = tjPixelSize[pf];
  int pitch = hdr->width * ps + pad;
  size_t span = (size_t)pitch * (size_t)(hdr->height - 1) + (size_t)hdr->width * ps;
  unsigned char *dst = (unsigned char *)malloc(span);
  expect(dst != NULL, "out of memory for the output", "");

  fc_status small = fc_decompress(handle, data, size, dst, span - 1, hdr->width, pitch,
                                  hdr->height, pf, color, 0, msg, sizeof(msg));
  expect(small == FC_ERR_ARG, "a destination one byte short was not refused", msg);
  fc_status wrong = fc_decompress(handle, data, size, dst, span, hdr->width + 1 > 65535 ? 1 : hdr->width + 1,
                                  pitch + ps, hdr->height, pf, color, 0, msg, sizeof(msg));
  expect(wrong != FC_OK, "a size that differs from the header was decoded", msg);

  fc_status s = fc_decompress(handle, data, size, dst, span, hdr->width, pitch, hdr->height, pf,
                              color, 0, msg, sizeof(msg));
  expect(s == FC_OK || s == FC_ERR_CORRUPT, "unexpected decode status", msg);
  free(dst);
}

/* A scaled decode into an exact buffer, then the letterbox kernel into an exact tensor slot. */
static void decode_scaled(const uint8_t *data, size_t size, const fc_header *hdr, int denom,
                          int color) {
  char msg[FC_MSG_MAX] = "";
  int w = fc_scaled_size(hdr->width, denom), h = fc_scaled_size(hdr->height, denom);
  size_t span = (size_t)w * h * 3;
  unsigned char *dst = (unsigned char *)malloc(span);
  expect(dst != NULL, "out of memory for the scaled output", "");
  fc_status small = fc_decompress_scaled(handle, data, size, denom, dst, span - 1, w, w * 3, h,
                                         TJPF_RGB, color, 0, msg, sizeof(msg));
  expect(small == FC_ERR_ARG, "a scaled destination one byte short was not refused", msg);
  fc_status s = fc_decompress_scaled(handle, data, size, denom, dst, span, w, w * 3, h, TJPF_RGB,
                                     color, 0, msg, sizeof(msg));
  expect(s == FC_OK || s == FC_ERR_CORRUPT, "unexpected scaled decode status", msg);
  if (s == FC_OK) {
    /* A slot whose size and placement the input's bytes choose, within the kernel's contract. */
    int sw = 1 + data[size / 2] % 64, sh = 1 + data[size / 3] % 64;
    int rw = 1 + data[0] % sw, rh = 1 + data[1] % sh;
    fc_slot slot = {sw, sh, data[2] & 1, data[3] & 1, {127.5f, 127.5f, 127.5f},
                    {1 / 127.5f, 1 / 127.5f, 1 / 127.5f}, data[4], data[5] & 1, rw, rh,
                    (sw - rw) / 2, (sh - rh) / 2};
    size_t floats = 3 * (size_t)sw * sh;
    float *tensor = (float *)malloc(floats * sizeof(float));
    expect(tensor != NULL, "out of memory for the tensor", "");
    fc_status t = fc_letterbox(dst, span, w, h, w * 3, 3, 1, &slot, tensor, floats - 1, msg,
                               sizeof(msg));
    expect(t == FC_ERR_ARG, "a tensor slot one float short was not refused", msg);
    t = fc_letterbox(dst, span, w, h, w * 3, 3, 1, &slot, tensor, floats, msg, sizeof(msg));
    expect(t == FC_OK, "the letterbox kernel refused a valid slot", msg);
    for (size_t i = 0; i < floats; i++) {
      /* Inputs are 0..255, so every value lies within the normalised range. */
      expect(tensor[i] >= -1.0001f && tensor[i] <= 1.0001f, "a tensor value out of range", "");
    }
    free(tensor);
  }
  free(dst);
}

static void decode_planes(const uint8_t *data, size_t size, const fc_header *hdr) {
  char msg[FC_MSG_MAX] = "";
  int cw = (hdr->width + 1) / 2, ch = (hdr->height + 1) / 2;
  size_t y_bytes = (size_t)hdr->width * hdr->height, c_bytes = (size_t)cw * ch;
  size_t total = y_bytes + 2 * c_bytes;
  unsigned char *dst = (unsigned char *)malloc(total);
  expect(dst != NULL, "out of memory for the planes", "");
  fc_status small = fc_decompress_planes(handle, data, size, dst, total - 1, 0, hdr->width,
                                         y_bytes, y_bytes + c_bytes, cw, hdr->width, hdr->height,
                                         0, msg, sizeof(msg));
  expect(small == FC_ERR_ARG, "planes one byte short were not refused", msg);
  fc_status s = fc_decompress_planes(handle, data, size, dst, total, 0, hdr->width, y_bytes,
                                     y_bytes + c_bytes, cw, hdr->width, hdr->height, 0, msg,
                                     sizeof(msg));
  int planar420 = hdr->subsamp == TJSAMP_420 && hdr->colorspace == TJCS_YCbCr;
  expect(planar420 ? (s == FC_OK || s == FC_ERR_CORRUPT) : s == FC_ERR_UNSUPPORTED,
         "unexpected planar decode status", msg);
  free(dst);
}

static void decode_reference(unsigned char *out) {
  char msg[FC_MSG_MAX] = "";
  fc_status s = fc_decompress(handle, ref_jpeg, ref_len, out, sizeof(ref_bgr), REF_SIZE,
                              REF_SIZE * 3, REF_SIZE, TJPF_BGR, FC_COLOR_CV2_YUV, 0, msg,
                              sizeof(msg));
  expect(s == FC_OK, "the reference JPEG does not decode", msg);
}

static void init(void) {
  handle = fc_create();
  expect(handle != NULL, "fc_create failed", "");
  unsigned char px[REF_SIZE * REF_SIZE * 3];
  for (int i = 0; i < (int)sizeof(px); i++) px[i] = (unsigned char)(i * 7 + i / 48 * 13);
  char msg[FC_MSG_MAX] = "";
  fc_status s = fc_compress(handle, px, sizeof(px), REF_SIZE, REF_SIZE * 3, REF_SIZE, TJPF_BGR,
                            FC_COLOR_CV2_YUV, TJSAMP_420, 80, TJFLAG_ACCURATEDCT, ref_jpeg,
                            sizeof(ref_jpeg), &ref_len, msg, sizeof(msg));
  expect(s == FC_OK, "cannot make the reference JPEG", msg);
  decode_reference(ref_bgr);
}

static void fuzz_one(const uint8_t *data, size_t size) {
  char msg[FC_MSG_MAX] = "";
  fc_header hdr;
  fc_status s = fc_read_header(handle, data, size, &hdr, msg, sizeof(msg));
  if (size == 0) {
    expect(s == FC_ERR_ARG, "an empty payload was not refused", msg);
    return;
  }
  expect(s == FC_OK || s == FC_ERR_CORRUPT || s == FC_ERR_UNSUPPORTED, "unexpected header status",
         msg);
  if (s != FC_OK) return;
  expect(hdr.width > 0 && hdr.height > 0, "header with a size that is not positive", msg);
  if ((uint64_t)hdr.width * (uint64_t)hdr.height > FUZZ_MAX_PIXELS) return;

  /* The last byte picks the row padding, so pitches other than the tight one get exercised. */
  int pad = data[size - 1] & 7;
  decode(data, size, &hdr, TJPF_BGR, FC_COLOR_CV2_YUV, pad);
  decode(data, size, &hdr, TJPF_RGB, FC_COLOR_CV2_YUV, 0);
  decode(data, size, &hdr, TJPF_BGR, FC_COLOR_NONE, 0);
  decode(data, size, &hdr, TJPF_GRAY, FC_COLOR_NONE, pad);
  decode_planes(data, size, &hdr);
  decode_scaled(data, size, &hdr, 2 << (data[size - 1] >> 6 & 1), FC_COLOR_CV2_YUV);
  decode_scaled(data, size, &hdr, 8, FC_COLOR_NONE);
  /* The OpenCV backend's validation (1/8-scale decode into scratch): a verdict, never a crash. */
  char vmsg[FC_MSG_MAX] = "";
  fc_status v = fc_validate(handle, data, size, vmsg, sizeof(vmsg));
  expect(v == FC_OK || v == FC_ERR_CORRUPT || v == FC_ERR_UNSUPPORTED || v == FC_ERR_NOMEM,
         "unexpected validation status", vmsg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (handle == NULL) init();
  fuzz_one(data, size);
  unsigned char again[sizeof(ref_bgr)];
  decode_reference(again);
  expect(memcmp(again, ref_bgr, sizeof(ref_bgr)) == 0,
         "the reference JPEG decodes differently after this input", "");
  return 0;
}
