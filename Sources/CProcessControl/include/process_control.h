#ifndef BORDERNET_PROCESS_CONTROL_H
#define BORDERNET_PROCESS_CONTROL_H

/* The few process-wide C calls BorderNet makes, as fixed-argument functions only LocalFiles
   imports: prctl(2) is variadic, and Swift cannot call a variadic C function; mallopt(3) takes
   glibc's private parameter codes. The prctl wrappers return what prctl returns (-1 with errno
   set on failure). */

/* PR_SET_DUMPABLE 0: no core file, and /proc/PID/mem and ptrace are closed to other processes of
   the same user (the kernel requires CAP_SYS_PTRACE for a non-dumpable process). */
int bordernet_process_set_not_dumpable(void);

/* PR_GET_DUMPABLE: 1 when dumpable, 0 when not. */
int bordernet_process_is_dumpable(void);

/* mallopt(M_ARENA_MAX, count): at most `count` malloc arenas for the whole process. glibc gives
   each thread that allocates its own arena, up to eight per core; a node's threads (its loop,
   the cores that open and validate, the indexer, the checkpoints) each left freed memory in
   their own, and the node's resident memory grew by several MiB for nothing. Returns 1 on
   success, 0 on failure, as mallopt does. */
int bordernet_malloc_limit_arenas(int count);

#endif
