/*
 * FrameCodec's codec core; see fc_codec.h for the contract. No JNI here: the shim
 * (framecodec_turbojpeg.c) and the fuzz harness (src/test/c) both call these functions.
 */
#include "fc_codec.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

struct fc_handle {
  tjhandle compressor;
  tjhandle decompressor;
  unsigned char *scratch;
  size_t scratch_cap;
};

/* Stores a fixed message and returns the status, so error paths stay one line. */
static fc_status fail(fc_status status, const char *text, char *msg, size_t cap) {
  if (cap > 0) {
    strncpy(msg, text, cap - 1);
    msg[cap - 1] = '\0';
  }
  return status;
}

/* TurboJPEG's message for the last failure on tj, copied out. */
static fc_status fail_tj(fc_status status, tjhandle tj, char *msg, size_t cap) {
  const char *text = tjGetErrorStr2(tj);
  return fail(status, text != NULL ? text : "unknown TurboJPEG error", msg, cap);
}

/*
 * Replaces the decompressor after a failed call. libjpeg-turbo 2.1.5's tjDecompressHeader3
 * returns from its error handler without jpeg_abort_decompress, leaving the libjpeg object in
 * the middle of a header; the next header read then continued that parse over the new payload
 * and reported 0x0 for a valid JPEG (found by fuzz_decode). A fresh decompressor after every
 * failure makes each call independent of the ones before it, whatever the library version.
 * Only failures pay for it. If the new one cannot be made, calls report FC_ERR_NOMEM until a
 * later call manages to make it.
 */
static void reset_decompressor(fc_handle *h) {
  if (h->decompressor != NULL) tjDestroy(h->decompressor);
  h->decompressor = tjInitDecompress();
}

/* The decompressor, made again if an earlier reset could not make it. */
static int have_decompressor(fc_handle *h) {
  if (h->decompressor == NULL) h->decompressor = tjInitDecompress();
  return h->decompressor != NULL;
}

/* Copies TurboJPEG's message, then resets the decompressor (which would free that message). */
static fc_status fail_decode(fc_status status, fc_handle *h, char *msg, size_t cap) {
  fail_tj(status, h->decompressor, msg, cap);
  reset_decompressor(h);
  return status;
}

/* True when [off, off+len) lies inside a region of cap bytes; overflow-safe. */
static int in_bounds(size_t cap, size_t off, size_t len) {
  return off <= cap && len <= cap - off;
}

static int tj_pixel_size(int pf) {
  return (pf >= 0 && pf < TJ_NUMPF) ? tjPixelSize[pf] : 0;
}

/* Bytes an image of height rows of width*pixel_size bytes occupies with the given pitch; 0 if invalid. */
static size_t image_span(int width, int height, int pitch, int pixel_size) {
  if (width <= 0 || height <= 0 || pitch <= 0 || pixel_size <= 0) return 0;
  uint64_t row = (uint64_t)width * (uint64_t)pixel_size;
  if ((uint64_t)pitch < row) return 0;
  uint64_t span = (uint64_t)pitch * (uint64_t)(height - 1) + row;
  return span > SIZE_MAX / 2 ? 0 : (size_t)span;
}

/* Grows the handle's scratch to at least need bytes; keeps it on failure. */
static int ensure_scratch(fc_handle *h, size_t need) {
  if (h->scratch_cap >= need) return 0;
  unsigned char *grown = (unsigned char *)realloc(h->scratch, need);
  if (grown == NULL) return -1;
  h->scratch = grown;
  h->scratch_cap = need;
  return 0;
}

/*
 * OpenCV's COLOR_BGR2YUV / COLOR_YUV2BGR for 8-bit data: BT.601 in 14-bit fixed point, round
 * half up, saturate. The rows are written with constant channel indices and branch-free clamps
 * so gcc vectorises them; on x86-64, target_clones adds an AVX2 build picked at load time. The
 * attribute is x86-only (gcc refuses it elsewhere); on aarch64 -O3 vectorises the same loops with
 * NEON, which every aarch64 core has.
 */
#if defined(__x86_64__)
#define FC_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define FC_CLONES
#endif
/* Deinterleaving first lets the arithmetic run on planar int16 lanes, which vectorises well. */
#define FC_ROW_SPLIT(name, BI, RI)                                                    \
  FC_CLONES static void name(                \
      const unsigned char *restrict s, int16_t *restrict b, int16_t *restrict g,     \
      int16_t *restrict r, int width) {                                             \
    for (int x = 0; x < width; x++) {                                               \
      b[x] = s[3 * x + BI];                                                          \
      g[x] = s[3 * x + 1];                                                           \
      r[x] = s[3 * x + RI];                                                          \
    }                                                                                \
  }
FC_ROW_SPLIT(split_bgr_row, 0, 2)
FC_ROW_SPLIT(split_rgb_row, 2, 0)

FC_CLONES static void planar_to_cv2yuv_row(
    const int16_t *restrict b, const int16_t *restrict g, const int16_t *restrict r,
    unsigned char *restrict d, int width) {
  for (int x = 0; x < width; x++) {
    int yy = (b[x] * 1868 + g[x] * 9617 + r[x] * 4899 + (1 << 13)) >> 14;
    int u = ((b[x] - yy) * 8061 + (128 << 14) + (1 << 13)) >> 14;
    int v = ((r[x] - yy) * 14369 + (128 << 14) + (1 << 13)) >> 14;
    u = u < 0 ? 0 : u;
    u = u > 255 ? 255 : u;
    v = v < 0 ? 0 : v;
    v = v > 255 ? 255 : v;
    d[3 * x] = (unsigned char)yy;
    d[3 * x + 1] = (unsigned char)u;
    d[3 * x + 2] = (unsigned char)v;
  }
}

#define FC_ROW_FROM_CV2YUV(name, BI, RI)                                              \
  FC_CLONES static void name(                \
      const unsigned char *restrict s, unsigned char *restrict d, int width) {      \
    for (int x = 0; x < width; x++) {                                               \
      int yy = s[3 * x], u = s[3 * x + 1] - 128, v = s[3 * x + 2] - 128;             \
      int b = yy + ((u * 33292 + (1 << 13)) >> 14);                                  \
      int g = yy + ((v * -9519 + u * -6472 + (1 << 13)) >> 14);                      \
      int r = yy + ((v * 18678 + (1 << 13)) >> 14);                                  \
      b = b < 0 ? 0 : b;                                                             \
      b = b > 255 ? 255 : b;                                                         \
      g = g < 0 ? 0 : g;                                                             \
      g = g > 255 ? 255 : g;                                                         \
      r = r < 0 ? 0 : r;                                                             \
      r = r > 255 ? 255 : r;                                                         \
      d[3 * x + BI] = (unsigned char)b;                                              \
      d[3 * x + 1] = (unsigned char)g;                                               \
      d[3 * x + RI] = (unsigned char)r;                                              \
    }                                                                                \
  }
FC_ROW_FROM_CV2YUV(cv2yuv_row_to_bgr, 0, 2)
FC_ROW_FROM_CV2YUV(cv2yuv_row_to_rgb, 2, 0)

/* row: 3 * width int16 of scratch for the split planes. */
static void bgr_to_cv2yuv(const unsigned char *src, int src_pitch, int blue_first,
                          unsigned char *dst, int dst_pitch, int16_t *row, int width,
                          int height) {
  int16_t *b = row, *g = row + width, *r = row + 2 * (size_t)width;
  for (int y = 0; y < height; y++) {
    const unsigned char *s = src + (size_t)y * src_pitch;
    if (blue_first)
      split_bgr_row(s, b, g, r, width);
    else
      split_rgb_row(s, b, g, r, width);
    planar_to_cv2yuv_row(b, g, r, dst + (size_t)y * dst_pitch, width);
  }
}

/* In place, through a one-row buffer (the row functions take non-aliasing pointers). */
static void cv2yuv_to_bgr_inplace(unsigned char *img, int pitch, int blue_first,
                                  unsigned char *row, int width, int height) {
  size_t row_bytes = (size_t)width * 3;
  for (int y = 0; y < height; y++) {
    unsigned char *p = img + (size_t)y * pitch;
    memcpy(row, p, row_bytes);
    if (blue_first)
      cv2yuv_row_to_bgr(row, p, width);
    else
      cv2yuv_row_to_rgb(row, p, width);
  }
}


fc_handle *fc_create(void) {
  fc_handle *h = (fc_handle *)calloc(1, sizeof(fc_handle));
  if (h == NULL) return NULL;
  h->compressor = tjInitCompress();
  h->decompressor = tjInitDecompress();
  if (h->compressor == NULL || h->decompressor == NULL) {
    fc_destroy(h);
    return NULL;
  }
  return h;
}

void fc_destroy(fc_handle *h) {
  if (h == NULL) return;
  if (h->compressor != NULL) tjDestroy(h->compressor);
  if (h->decompressor != NULL) tjDestroy(h->decompressor);
  free(h->scratch);
  free(h);
}

size_t fc_scratch_bytes(const fc_handle *h) {
  return h == NULL ? 0 : h->scratch_cap;
}

fc_status fc_read_header(fc_handle *h, const unsigned char *jpeg, size_t len, fc_header *out,
                         char *msg, size_t msg_cap) {
  if (h == NULL || jpeg == NULL || out == NULL || len == 0 || len > ULONG_MAX)
    return fail(FC_ERR_ARG, "no handle, no payload or an empty payload", msg, msg_cap);
  if (!have_decompressor(h))
    return fail(FC_ERR_NOMEM, "cannot create a TurboJPEG decompressor", msg, msg_cap);
  int w = 0, ht = 0, samp = -1, cs = -1;
  if (tjDecompressHeader3(h->decompressor, jpeg, (unsigned long)len, &w, &ht, &samp, &cs) != 0)
    return fail_decode(FC_ERR_CORRUPT, h, msg, msg_cap);
  if (cs == TJCS_CMYK || cs == TJCS_YCCK)
    return fail(FC_ERR_UNSUPPORTED, "CMYK and YCCK JPEGs are not supported; 1 or 3 components are",
                msg, msg_cap);
  if (w <= 0 || ht <= 0)
    return fail(FC_ERR_CORRUPT, "JPEG header declares a size that is not positive", msg, msg_cap);
  out->width = w;
  out->height = ht;
  out->subsamp = samp;
  out->colorspace = cs;
  return FC_OK;
}

int fc_scaled_size(int dim, int denom) {
  if (dim <= 0 || (denom != 1 && denom != 2 && denom != 4 && denom != 8)) return 0;
  return (int)(((int64_t)dim + denom - 1) / denom);
}

/* Reads the header again and checks it, scaled by 1/denom, against the size the caller
 * allocated for. */
static fc_status header_matches(fc_handle *h, const unsigned char *jpeg, size_t len, int denom,
                                int width, int height, fc_header *hdr, char *msg, size_t msg_cap) {
  fc_status s = fc_read_header(h, jpeg, len, hdr, msg, msg_cap);
  if (s != FC_OK) return s;
  if (fc_scaled_size(hdr->width, denom) != width || fc_scaled_size(hdr->height, denom) != height) {
    /* The payload changed between the Java side's header read and here, or the caller lied. */
    return fail(FC_ERR_ARG, "JPEG dimensions differ from the destination frame", msg, msg_cap);
  }
  return FC_OK;
}

fc_status fc_decompress(fc_handle *h, const unsigned char *jpeg, size_t len, unsigned char *dst,
                        size_t dst_cap, int width, int pitch, int height, int pixel_format,
                        int color, int flags, char *msg, size_t msg_cap) {
  return fc_decompress_scaled(h, jpeg, len, 1, dst, dst_cap, width, pitch, height, pixel_format,
                              color, flags, msg, msg_cap);
}

fc_status fc_decompress_scaled(fc_handle *h, const unsigned char *jpeg, size_t len, int denom,
                               unsigned char *dst, size_t dst_cap, int width, int pitch,
                               int height, int pixel_format, int color, int flags, char *msg,
                               size_t msg_cap) {
  int ps = tj_pixel_size(pixel_format);
  size_t span = image_span(width, height, pitch, ps);
  if (h == NULL || dst == NULL || span == 0 || fc_scaled_size(1, denom) == 0 ||
      (color == FC_COLOR_CV2_YUV && ps != 3) ||
      (color != FC_COLOR_NONE && color != FC_COLOR_CV2_YUV))
    return fail(FC_ERR_ARG, "invalid output geometry, scale or pixel format", msg, msg_cap);
  if (!in_bounds(dst_cap, 0, span))
    return fail(FC_ERR_ARG, "destination buffer is smaller than the image", msg, msg_cap);
  fc_header hdr;
  fc_status s = header_matches(h, jpeg, len, denom, width, height, &hdr, msg, msg_cap);
  if (s != FC_OK) return s;
  if (color == FC_COLOR_CV2_YUV && ensure_scratch(h, (size_t)width * 3) != 0)
    return fail(FC_ERR_NOMEM, "cannot allocate colour conversion scratch", msg, msg_cap);
  /* Asked for exactly ceil(dim / denom), TurboJPEG picks the factor 1/denom: every larger factor
   * it knows (M/8 with M > 8/denom) gives a larger image. */
  if (tjDecompress2(h->decompressor, jpeg, (unsigned long)len, dst, width, pitch, height,
                    color == FC_COLOR_CV2_YUV ? TJPF_BGR : pixel_format,
                    flags | TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS) != 0)
    return fail_decode(FC_ERR_CORRUPT, h, msg, msg_cap);
  if (color == FC_COLOR_CV2_YUV)
    cv2yuv_to_bgr_inplace(dst, pitch, pixel_format == TJPF_BGR, h->scratch, width, height);
  return FC_OK;
}

fc_status fc_decompress_planes(fc_handle *h, const unsigned char *jpeg, size_t len,
                               unsigned char *dst, size_t dst_cap, size_t y_off, int y_stride,
                               size_t u_off, size_t v_off, int c_stride, int width, int height,
                               int flags, char *msg, size_t msg_cap) {
  int cw = (int)(((int64_t)width + 1) / 2), ch = (int)(((int64_t)height + 1) / 2);
  size_t y_span = image_span(width, height, y_stride, 1);
  size_t c_span = image_span(cw, ch, c_stride, 1);
  if (h == NULL || dst == NULL || y_span == 0 || c_span == 0)
    return fail(FC_ERR_ARG, "invalid planar geometry", msg, msg_cap);
  if (!in_bounds(dst_cap, y_off, y_span) || !in_bounds(dst_cap, u_off, c_span) ||
      !in_bounds(dst_cap, v_off, c_span))
    return fail(FC_ERR_ARG, "destination buffer is smaller than the planes", msg, msg_cap);
  fc_header hdr;
  fc_status s = header_matches(h, jpeg, len, 1, width, height, &hdr, msg, msg_cap);
  if (s != FC_OK) return s;
  if (hdr.subsamp != TJSAMP_420 || hdr.colorspace != TJCS_YCbCr) {
    /* Any other layout would need resampling; the Java side asks for BGR instead. */
    return fail(FC_ERR_UNSUPPORTED, "I420 output needs a YCbCr 4:2:0 JPEG", msg, msg_cap);
  }
  unsigned char *planes[3] = {dst + y_off, dst + u_off, dst + v_off};
  int strides[3] = {y_stride, c_stride, c_stride};
  if (tjDecompressToYUVPlanes(h->decompressor, jpeg, (unsigned long)len, planes, width, strides,
                              height, flags | TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS) != 0)
    return fail_decode(FC_ERR_CORRUPT, h, msg, msg_cap);
  return FC_OK;
}

fc_status fc_compress(fc_handle *h, const unsigned char *src, size_t src_cap, int width, int pitch,
                      int height, int pixel_format, int color, int subsamp, int quality, int flags,
                      unsigned char *dst, size_t dst_cap, size_t *out_len, char *msg,
                      size_t msg_cap) {
  int ps = tj_pixel_size(pixel_format);
  size_t span = image_span(width, height, pitch, ps);
  unsigned long max_size = span == 0 ? (unsigned long)-1 : tjBufSize(width, height, subsamp);
  if (h == NULL || src == NULL || dst == NULL || out_len == NULL || span == 0 || quality < 1 ||
      quality > 100 || max_size == (unsigned long)-1 || (color == FC_COLOR_CV2_YUV && ps != 3) ||
      (color != FC_COLOR_NONE && color != FC_COLOR_CV2_YUV))
    return fail(FC_ERR_ARG, "invalid image geometry, pixel format, subsampling or quality", msg,
                msg_cap);
  if (!in_bounds(src_cap, 0, span))
    return fail(FC_ERR_ARG, "source buffer is smaller than the image", msg, msg_cap);
  if (!in_bounds(dst_cap, 0, max_size))
    return fail(FC_ERR_ARG, "destination buffer is smaller than tjBufSize for this image", msg,
                msg_cap);
  const unsigned char *pixels = src;
  int tj_pitch = pitch;
  int tj_format = pixel_format;
  if (color == FC_COLOR_CV2_YUV) {
    /* The converted image, then one row of int16 planes, kept 16-byte aligned. */
    size_t image_bytes = ((size_t)width * height * 3 + 15) & ~(size_t)15;
    if (ensure_scratch(h, image_bytes + (size_t)width * 3 * sizeof(int16_t)) != 0)
      return fail(FC_ERR_NOMEM, "cannot allocate colour conversion scratch", msg, msg_cap);
    bgr_to_cv2yuv(src, pitch, pixel_format == TJPF_BGR, h->scratch, width * 3,
                  (int16_t *)(void *)(h->scratch + image_bytes), width, height);
    pixels = h->scratch;
    tj_pitch = width * 3;
    /* The peer hands the YUV planes to imencode as if they were B, G, R. */
    tj_format = TJPF_BGR;
  }
  unsigned char *jpeg = dst;
  unsigned long jpeg_size = max_size;
  if (tjCompress2(h->compressor, pixels, width, tj_pitch, height, tj_format, &jpeg, &jpeg_size,
                  subsamp, quality, flags | TJFLAG_NOREALLOC) != 0)
    return fail_tj(FC_ERR_NATIVE, h->compressor, msg, msg_cap);
  if (jpeg != dst || jpeg_size > max_size)
    return fail(FC_ERR_NATIVE, "TurboJPEG moved or overran the destination buffer", msg, msg_cap);
  *out_len = jpeg_size;
  return FC_OK;
}

fc_status fc_compress_planes(fc_handle *h, const unsigned char *src, size_t src_cap, size_t y_off,
                             int y_stride, size_t u_off, size_t v_off, int c_stride,
                             int interleaved_uv, int width, int height, int quality, int flags,
                             unsigned char *dst, size_t dst_cap, size_t *out_len, char *msg,
                             size_t msg_cap) {
  int cw = (int)(((int64_t)width + 1) / 2), ch = (int)(((int64_t)height + 1) / 2);
  size_t y_span = image_span(width, height, y_stride, 1);
  size_t c_span = image_span(cw, ch, c_stride, interleaved_uv ? 2 : 1);
  unsigned long max_size = y_span == 0 ? (unsigned long)-1 : tjBufSize(width, height, TJSAMP_420);
  if (h == NULL || src == NULL || dst == NULL || out_len == NULL || y_span == 0 || c_span == 0 ||
      quality < 1 || quality > 100 || max_size == (unsigned long)-1)
    return fail(FC_ERR_ARG, "invalid planar geometry or quality", msg, msg_cap);
  if (!in_bounds(src_cap, y_off, y_span) || !in_bounds(src_cap, u_off, c_span) ||
      (!interleaved_uv && !in_bounds(src_cap, v_off, c_span)))
    return fail(FC_ERR_ARG, "source buffer is smaller than the planes", msg, msg_cap);
  if (!in_bounds(dst_cap, 0, max_size))
    return fail(FC_ERR_ARG, "destination buffer is smaller than tjBufSize for this image", msg,
                msg_cap);
  const unsigned char *planes[3];
  int strides[3] = {y_stride, c_stride, c_stride};
  planes[0] = src + y_off;
  if (interleaved_uv) {
    /* NV12 -> separate U and V planes; TurboJPEG takes planar input only. */
    if (ensure_scratch(h, (size_t)cw * ch * 2) != 0)
      return fail(FC_ERR_NOMEM, "cannot allocate chroma scratch", msg, msg_cap);
    unsigned char *u = h->scratch, *v = h->scratch + (size_t)cw * ch;
    for (int row = 0; row < ch; row++) {
      const unsigned char *s = src + u_off + (size_t)row * c_stride;
      for (int x = 0; x < cw; x++) {
        u[(size_t)row * cw + x] = s[2 * x];
        v[(size_t)row * cw + x] = s[2 * x + 1];
      }
    }
    planes[1] = u;
    planes[2] = v;
    strides[1] = strides[2] = cw;
  } else {
    planes[1] = src + u_off;
    planes[2] = src + v_off;
  }
  unsigned char *jpeg = dst;
  unsigned long jpeg_size = max_size;
  if (tjCompressFromYUVPlanes(h->compressor, planes, width, strides, height, TJSAMP_420, &jpeg,
                              &jpeg_size, quality, flags | TJFLAG_NOREALLOC) != 0)
    return fail_tj(FC_ERR_NATIVE, h->compressor, msg, msg_cap);
  if (jpeg != dst || jpeg_size > max_size)
    return fail(FC_ERR_NATIVE, "TurboJPEG moved or overran the destination buffer", msg, msg_cap);
  *out_len = jpeg_size;
  return FC_OK;
}

fc_status fc_validate(fc_handle *h, const unsigned char *jpeg, size_t len, char *msg,
                      size_t msg_cap) {
  fc_header hdr;
  fc_status s = fc_read_header(h, jpeg, len, &hdr, msg, msg_cap);
  if (s != FC_OK) return s;
  /* TurboJPEG picks the largest scaling factor that fits the size asked for: 1/8 here. */
  int w = (int)(((int64_t)hdr.width + 7) / 8), ht = (int)(((int64_t)hdr.height + 7) / 8);
  if (ensure_scratch(h, (size_t)w * (size_t)ht) != 0)
    return fail(FC_ERR_NOMEM, "cannot allocate validation scratch", msg, msg_cap);
  if (tjDecompress2(h->decompressor, jpeg, (unsigned long)len, h->scratch, w, w, ht, TJPF_GRAY,
                    TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS) != 0)
    return fail_decode(FC_ERR_CORRUPT, h, msg, msg_cap);
  return FC_OK;
}
