#ifndef DROPSIGHT_CVIPS_SHIM_H
#define DROPSIGHT_CVIPS_SHIM_H
#include <vips/vips.h>

/* VIPS_INIT is a macro; most vips operations are NULL-terminated variadic functions. */
static inline int ds_vips_init(const char *argv0) { return VIPS_INIT(argv0); }
static inline VipsImage *ds_vips_image_new_from_buffer(const void *buf, size_t len) {
    return vips_image_new_from_buffer(buf, len, "", "access", VIPS_ACCESS_SEQUENTIAL, NULL);
}
static inline VipsImage *ds_vips_image_new_from_file(const char *path) {
    return vips_image_new_from_file(path, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
}
static inline int ds_vips_colourspace_srgb(VipsImage *in, VipsImage **out) {
    return vips_colourspace(in, out, VIPS_INTERPRETATION_sRGB, NULL);
}
static inline int ds_vips_cast_uchar(VipsImage *in, VipsImage **out) { return vips_cast_uchar(in, out, NULL); }
static inline int ds_vips_pngsave_buffer(VipsImage *in, void **buf, size_t *len) {
    return vips_pngsave_buffer(in, buf, len, "compression", 6, NULL);
}
static inline void ds_g_object_unref(void *o) { g_object_unref(o); }
#endif
