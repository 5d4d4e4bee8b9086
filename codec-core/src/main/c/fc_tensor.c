/*
 * The model-input kernel; see fc_tensor.h for the contract.
 *
 * Sampling is separable: per output column and row a table says which source pixels contribute
 * with which weights (two for bilinear, a run for area averaging). The tables are small (one
 * entry per output pixel of one axis, plus the area runs) and allocated per call: a call writes
 * one slot, thousands of times fewer pixels than a decode reads, so the allocation is noise.
 */
#include "fc_tensor.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static fc_status fail(fc_status status, const char *text, char *msg, size_t cap) {
  if (cap > 0) {
    strncpy(msg, text, cap - 1);
    msg[cap - 1] = '\0';
  }
  return status;
}

/* One output coordinate: the source indices [first, first + count) and their weights. */
typedef struct tap {
  int first;
  int count;
  int weights; /* index of the first weight in the axis's weight array */
} tap;

typedef struct axis {
  tap *taps;
  float *w;
} axis;

static void free_axis(axis *a) {
  free(a->taps);
  free(a->w);
  a->taps = NULL;
  a->w = NULL;
}

/*
 * Bilinear taps for n outputs from m inputs: centre-aligned, as OpenCV's INTER_LINEAR
 * (src = (dst + 0.5) * m / n - 0.5, clamped to the edge pixels).
 */
static int linear_axis(axis *a, int n, int m) {
  a->taps = (tap *)malloc(sizeof(tap) * (size_t)n);
  a->w = (float *)malloc(sizeof(float) * 2 * (size_t)n);
  if (a->taps == NULL || a->w == NULL) return -1;
  double step = (double)m / n;
  for (int i = 0; i < n; i++) {
    double f = (i + 0.5) * step - 0.5;
    int x0 = (int)floor(f);
    float t = (float)(f - x0);
    if (x0 < 0) {
      x0 = 0;
      t = 0.f;
    }
    if (x0 >= m - 1) {
      x0 = m - 1;
      t = 0.f;
    }
    a->taps[i].first = x0;
    a->taps[i].count = (t > 0.f && x0 + 1 < m) ? 2 : 1;
    a->taps[i].weights = 2 * i;
    a->w[2 * i] = a->taps[i].count == 2 ? 1.f - t : 1.f;
    a->w[2 * i + 1] = a->taps[i].count == 2 ? t : 0.f;
  }
  return 0;
}

/*
 * Area taps for n outputs from m >= n inputs: output i averages the source interval
 * [i * m / n, (i + 1) * m / n), each source pixel weighted by its overlap.
 */
static int area_axis(axis *a, int n, int m) {
  int most = (int)ceil((double)m / n) + 1; /* pixels one interval can touch */
  a->taps = (tap *)malloc(sizeof(tap) * (size_t)n);
  a->w = (float *)malloc(sizeof(float) * (size_t)most * (size_t)n);
  if (a->taps == NULL || a->w == NULL) return -1;
  double step = (double)m / n;
  int k = 0;
  for (int i = 0; i < n; i++) {
    double lo = i * step, hi = (i + 1) * step;
    int first = (int)floor(lo);
    int last = (int)ceil(hi) - 1;
    if (last > m - 1) last = m - 1;
    if (last - first + 1 > most) last = first + most - 1;
    a->taps[i].first = first;
    a->taps[i].count = last - first + 1;
    a->taps[i].weights = k;
    for (int x = first; x <= last; x++) {
      double from = x < lo ? lo : x, to = x + 1 > hi ? hi : x + 1;
      a->w[k++] = (float)((to - from) / step);
    }
  }
  return 0;
}

static int make_axis(axis *a, int n, int m, int interpolation) {
  return interpolation == FC_INTERP_AREA && m >= n ? area_axis(a, n, m) : linear_axis(a, n, m);
}

/* The border value of each tensor channel. */
static void fill_pad(const fc_slot *s, float *dst) {
  size_t plane = (size_t)s->width * s->height;
  for (int c = 0; c < 3; c++) {
    float v = ((float)s->pad - s->mean[c]) * s->scale[c];
    if (s->nchw) {
      float *p = dst + c * plane;
      for (size_t i = 0; i < plane; i++) p[i] = v;
    } else {
      for (size_t i = 0; i < plane; i++) dst[3 * i + c] = v;
    }
  }
}

fc_status fc_letterbox(const unsigned char *src, size_t src_cap, int sw, int sh, int spitch,
                       int channels, int src_rgb, const fc_slot *s, float *dst,
                       size_t dst_floats, char *msg, size_t msg_cap) {
  if (src == NULL || dst == NULL || s == NULL || sw <= 0 || sh <= 0 ||
      (channels != 1 && channels != 3) || spitch < 0 || (int64_t)spitch < (int64_t)sw * channels)
    return fail(FC_ERR_ARG, "invalid source image geometry", msg, msg_cap);
  uint64_t span = (uint64_t)spitch * (uint64_t)(sh - 1) + (uint64_t)sw * channels;
  if (span > src_cap) return fail(FC_ERR_ARG, "source buffer is smaller than the image", msg, msg_cap);
  if (s->width <= 0 || s->height <= 0 || s->resized_width <= 0 || s->resized_height <= 0 ||
      s->pad_x < 0 || s->pad_y < 0 || s->resized_width > s->width - s->pad_x ||
      s->resized_height > s->height - s->pad_y || s->pad < 0 || s->pad > 255 ||
      (s->interpolation != FC_INTERP_LINEAR && s->interpolation != FC_INTERP_AREA))
    return fail(FC_ERR_ARG, "invalid tensor slot geometry", msg, msg_cap);
  uint64_t need = 3ull * (uint64_t)s->width * (uint64_t)s->height;
  if (need > dst_floats) return fail(FC_ERR_ARG, "tensor slot is smaller than 3 x width x height", msg, msg_cap);

  axis ax = {NULL, NULL}, ay = {NULL, NULL};
  float *row = (float *)malloc(sizeof(float) * (size_t)sw * (size_t)channels);
  if (row == NULL || make_axis(&ax, s->resized_width, sw, s->interpolation) != 0 ||
      make_axis(&ay, s->resized_height, sh, s->interpolation) != 0) {
    free(row);
    free_axis(&ax);
    free_axis(&ay);
    return fail(FC_ERR_NOMEM, "cannot allocate the sampling tables", msg, msg_cap);
  }
  if (s->resized_width != s->width || s->resized_height != s->height) fill_pad(s, dst);

  /* Source channel feeding each tensor channel: tensor order vs source order. */
  int from[3];
  for (int c = 0; c < 3; c++) from[c] = channels == 1 ? 0 : (s->rgb == src_rgb ? c : 2 - c);
  size_t plane = (size_t)s->width * s->height;
  for (int y = 0; y < s->resized_height; y++) {
    /* Vertical pass into one float row of the source width, then horizontal per output pixel. */
    const tap *ty = &ay.taps[y];
    for (int i = 0; i < sw * channels; i++) row[i] = 0.f;
    for (int k = 0; k < ty->count; k++) {
      const unsigned char *sr = src + (size_t)(ty->first + k) * spitch;
      float wy = ay.w[ty->weights + k];
      for (int i = 0; i < sw * channels; i++) row[i] += wy * sr[i];
    }
    size_t out_row = (size_t)(s->pad_y + y) * s->width + s->pad_x;
    for (int x = 0; x < s->resized_width; x++) {
      const tap *tx = &ax.taps[x];
      float acc[3] = {0.f, 0.f, 0.f};
      for (int k = 0; k < tx->count; k++) {
        const float *p = row + (size_t)(tx->first + k) * channels;
        float wx = ax.w[tx->weights + k];
        for (int c = 0; c < channels; c++) acc[c] += wx * p[c];
      }
      size_t o = out_row + x;
      for (int c = 0; c < 3; c++) {
        float v = (acc[from[c]] - s->mean[c]) * s->scale[c];
        if (s->nchw)
          dst[c * plane + o] = v;
        else
          dst[3 * o + c] = v;
      }
    }
  }
  free(row);
  free_axis(&ax);
  free_axis(&ay);
  return FC_OK;
}
