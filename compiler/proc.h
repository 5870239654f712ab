/* Running the tools apic leaves their jobs to (git, tar, diff): spawned
 * directly, with no shell between. */
#ifndef APIC_PROC_H
#define APIC_PROC_H

#include <stdbool.h>
#include <sys/types.h>

/* Runs argv[0] (looked up in PATH) with stdin from `in` and stdout to `out`
 * (-1: inherited); returns its pid, or -1 after printing why. */
pid_t proc_spawn(char *const argv[], int in, int out);
/* Waits for pid; its exit status, or -1 if it did not exit normally. */
int proc_wait(pid_t pid);

#endif
