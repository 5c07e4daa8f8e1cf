#ifndef VIGIL_CJEMALLOC_SHIM_H
#define VIGIL_CJEMALLOC_SHIM_H

#include <stddef.h>

// jemalloc's control interface only (Debian's libjemalloc-dev): <jemalloc/jemalloc.h> would also declare malloc and
// free, which Swift already sees through Glibc. Linking the library is what makes jemalloc the process's allocator.
int mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen);

#endif
