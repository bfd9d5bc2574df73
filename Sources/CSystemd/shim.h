#ifndef DROPSIGHT_CSYSTEMD_SHIM_H
#define DROPSIGHT_CSYSTEMD_SHIM_H
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#endif
