#ifndef DROPSIGHT_CVIPS_SHIM_H
#define DROPSIGHT_CVIPS_SHIM_H
#include <vips/vips.h>

/* Wrappers for what Swift cannot call: VIPS_INIT is a macro, and most vips operations are
 * NULL-terminated variadic functions. Each wrapper passes its arguments straight through. */

static inline int ds_vips_init(const char *argv0) { return VIPS_INIT(argv0); }

/* libvips prints its warnings ("VipsJpeg: Corrupt JPEG data ...") to stderr through GLib; this
 * hands each one to `sink` instead. The trampoline only adapts GLib's handler signature. */
typedef void (*ds_vips_warning_sink)(const char *message);
static void ds_vips_warning_trampoline(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer sink) {
    ((ds_vips_warning_sink)sink)(message);
}
static inline void ds_vips_route_warnings(ds_vips_warning_sink sink) {
    g_log_set_handler("VIPS", (GLogLevelFlags)(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE),
                      ds_vips_warning_trampoline, (gpointer)sink);
}

/* Loaders, one per accepted format, reading from a source (file descriptor or memory). */
static inline int ds_vips_jpegload_source(VipsSource *source, VipsImage **out, VipsFailOn fail_on) {
    return vips_jpegload_source(source, out, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", fail_on, NULL);
}
static inline int ds_vips_pngload_source(VipsSource *source, VipsImage **out, VipsFailOn fail_on) {
    return vips_pngload_source(source, out, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", fail_on, NULL);
}
static inline int ds_vips_webpload_source(VipsSource *source, VipsImage **out, VipsFailOn fail_on) {
    return vips_webpload_source(source, out, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", fail_on, NULL);
}
static inline int ds_vips_heifload_source(VipsSource *source, VipsImage **out, VipsFailOn fail_on) {
    return vips_heifload_source(source, out, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", fail_on, NULL);
}
/* `load_options` go to the format's loader (thumbnail_source ignores its own "fail_on").
 * `export_profile` NULL leaves pixel values as stored; "srgb" converts from an embedded profile. */
static inline int ds_vips_thumbnail_source(VipsSource *source, VipsImage **out, int width, int height,
                                           VipsSize size, const char *load_options, const char *export_profile) {
    return vips_thumbnail_source(source, out, width, "height", height, "size", size,
                                 "option_string", load_options, "export_profile", export_profile, NULL);
}

/* Conversions. */
static inline int ds_vips_colourspace(VipsImage *in, VipsImage **out, VipsInterpretation space) {
    return vips_colourspace(in, out, space, NULL);
}
static inline int ds_vips_cast(VipsImage *in, VipsImage **out, VipsBandFormat format) {
    return vips_cast(in, out, format, NULL);
}
static inline int ds_vips_copy(VipsImage *in, VipsImage **out) { return vips_copy(in, out, NULL); }
static inline int ds_vips_autorot(VipsImage *in, VipsImage **out) { return vips_autorot(in, out, NULL); }

/* Savers. `strip` drops EXIF, XMP and ICC metadata. */
static inline int ds_vips_pngsave_buffer(VipsImage *in, void **buf, size_t *len, int compression,
                                         VipsForeignPngFilter filter) {
    return vips_pngsave_buffer(in, buf, len, "compression", compression, "filter", filter, "strip", TRUE, NULL);
}
static inline int ds_vips_jpegsave_buffer(VipsImage *in, void **buf, size_t *len, int quality, gboolean strip) {
    return vips_jpegsave_buffer(in, buf, len, "Q", quality, "strip", strip, NULL);
}
static inline int ds_vips_webpsave_buffer(VipsImage *in, void **buf, size_t *len, int quality,
                                          gboolean lossless, gboolean strip) {
    return vips_webpsave_buffer(in, buf, len, "Q", quality, "lossless", lossless, "strip", strip, NULL);
}
static inline int ds_vips_heifsave_buffer(VipsImage *in, void **buf, size_t *len, int quality,
                                          gboolean lossless, gboolean strip) {
    return vips_heifsave_buffer(in, buf, len, "Q", quality, "lossless", lossless, "strip", strip,
                                "compression", VIPS_FOREIGN_HEIF_COMPRESSION_HEVC, NULL);
}

/* Text: a one-band 8-bit coverage image of `markup` (Pango markup) in `font` at `dpi`. */
static inline int ds_vips_text(VipsImage **out, const char *markup, const char *font, int dpi) {
    return vips_text(out, markup, "font", font, "dpi", dpi, NULL);
}

#endif
