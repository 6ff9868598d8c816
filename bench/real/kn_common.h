/*
 * kn_common.h: what the real-kernel benchmark programs (kn_bench.c, kn_idle.c)
 * share: a monotonic clock, the process's own CPU time, and dying with errno.
 */
#ifndef KN_COMMON_H
#define KN_COMMON_H

#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * CPU time this process has used: the scheduler's own count of time on a CPU
 * (/proc/self/schedstat, first field, in ns; it includes the softirq work run
 * in this task's context, since this kernel does not split irq time out), else
 * getrusage's tick-sampled user+system time.
 */
static uint64_t cpu_ns(void)
{
	unsigned long long run = 0;
	FILE *f = fopen("/proc/self/schedstat", "r");
	if (f) {
		int ok = fscanf(f, "%llu", &run) == 1;
		fclose(f);
		if (ok)
			return run;
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) * 1000000000ull +
	       ((uint64_t)ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) * 1000ull;
}

/* Ends the program with what failed and why, under the program's own name. */
static void die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what, strerror(errno));
	exit(1);
}

#endif
