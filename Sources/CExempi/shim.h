#ifndef DROPSIGHT_CEXEMPI_SHIM_H
#define DROPSIGHT_CEXEMPI_SHIM_H
#include <exempi/xmp.h>

/* Exempi's C API is callable from Swift as it is; this header only brings it in. */

#endif
