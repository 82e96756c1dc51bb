#include "process_control.h"

#include <malloc.h>
#include <sys/prctl.h>

int bordernet_process_set_not_dumpable(void) { return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); }

int bordernet_process_is_dumpable(void) { return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0); }

int bordernet_malloc_limit_arenas(int count) { return mallopt(M_ARENA_MAX, count); }
