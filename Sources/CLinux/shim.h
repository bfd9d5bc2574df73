#ifndef DROPSIGHT_CLINUX_SHIM_H
#define DROPSIGHT_CLINUX_SHIM_H

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/// O_PATH (an open that only names a file), which <fcntl.h> shows only under _GNU_SOURCE; the value is
/// the same on every Linux architecture Swift runs on.
static inline int ds_o_path(void) {
#ifdef O_PATH
    return O_PATH;
#else
    return 010000000;
#endif
}

/// openat2(2) of `path` relative to `dirfd` that never leaves `dirfd` and never follows a symlink or a
/// /proc magic link on the way (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS).
/// Returns the descriptor, or -1 with errno (ENOSYS, or EPERM under a seccomp filter, where the kernel
/// or the sandbox does not offer it). glibc has no wrapper, and Swift cannot call variadic syscall().
static inline int ds_openat2_beneath(int dirfd, const char *path, int flags) {
#ifdef SYS_openat2
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (unsigned long long)(unsigned int)flags;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
#else
    (void)dirfd; (void)path; (void)flags;
    errno = ENOSYS;
    return -1;
#endif
}

#endif
