/*
 * kn_idle: the real-kernel side of KernelNet's idle-connections benchmark
 * (bench/KernelNet.Bench -- --idle N). bench/real/run.sh --idle N starts
 * servers in one network namespace and as many clients in the other (over a
 * veth pair), each pair with its share of the listeners and connections,
 * waits until every one prints its line, reads the kernel's slab while every
 * connection is open, and kills them.
 *
 *   server ADDR PORT0 LISTENERS N SECONDS
 *       listens on PORT0 .. PORT0+LISTENERS-1 and accepts until N connections
 *       are open (epoll over the listeners; the accepted sockets are kept).
 *   client ADDR PORT0 LISTENERS N SECONDS
 *       opens N connections, the i-th to PORT0 + i % LISTENERS, with up to
 *       1000 connects in flight (non-blocking connect, epoll for completion),
 *       as the simulation's thousand client tasks each have one connect in
 *       flight; the sockets are kept.
 *
 * Each prints one line when done:
 *   role=... count=... start_ns=... end_ns=... cpu_ns=...
 * (CLOCK_MONOTONIC, so the two lines share a clock) and then holds its
 * sockets until it is killed, or until SECONDS have passed since it started:
 * no run outlives its bound.
 */
#include "kn_common.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define IN_FLIGHT 1000

/*
 * Room for n connections and the listeners: the soft limit raised to the hard
 * one, which a process without CAP_SYS_RESOURCE cannot raise (run.sh splits a
 * large N over several processes, as the simulation's tasks each stay under
 * RLIMIT_NOFILE).
 */
static void allow_fds(long n, int listeners)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		die("getrlimit(RLIMIT_NOFILE)");
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		die("setrlimit(RLIMIT_NOFILE)");
	if ((rlim_t)(n + listeners + 16) > rl.rlim_max) {
		fprintf(stderr, "kn_idle: %ld connections and %d listeners need more descriptors than RLIMIT_NOFILE's %llu\n",
			n, listeners, (unsigned long long)rl.rlim_max);
		exit(2);
	}
}

static void report(const char *role, long count, uint64_t start, uint64_t end)
{
	printf("role=%s count=%ld start_ns=%llu end_ns=%llu cpu_ns=%llu\n", role, count,
	       (unsigned long long)start, (unsigned long long)end, (unsigned long long)cpu_ns());
	fflush(stdout);
}

/* Keeps the connections open until the script kills this process (or the alarm ends it). */
static void hold(void)
{
	for (;;)
		pause();
}

/* The next ready events, retried when a signal interrupts the wait. */
static int wait_events(int ep, struct epoll_event *evs, int max)
{
	for (;;) {
		int k = epoll_wait(ep, evs, max, -1);
		if (k >= 0)
			return k;
		if (errno != EINTR)
			die("epoll_wait");
	}
}

static void server(struct sockaddr_in a, int listeners, long n)
{
	int ep = epoll_create1(0);
	if (ep < 0)
		die("epoll_create1");
	uint16_t port0 = ntohs(a.sin_port);
	for (int i = 0; i < listeners; i++) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		int one = 1;
		if (fd < 0)
			die("socket");
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		a.sin_port = htons((uint16_t)(port0 + i));
		if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0)
			die("bind");
		if (listen(fd, 4096) != 0)
			die("listen");
		struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0)
			die("epoll_ctl");
	}
	printf("ready\n");
	fflush(stdout);

	long accepted = 0;
	uint64_t start = 0, end = 0;
	struct epoll_event evs[256];
	while (accepted < n) {
		int k = wait_events(ep, evs, 256);
		for (int i = 0; i < k; i++) {
			for (;;) {
				int c = accept4(evs[i].data.fd, NULL, NULL, SOCK_NONBLOCK);
				if (c < 0) {
					if (errno == EAGAIN || errno == EINTR)
						break;
					die("accept4");
				}
				if (accepted++ == 0)
					start = now_ns();
				end = now_ns();
			}
		}
	}
	report("idle-server", accepted, start, end);
	hold();
}

static void client(struct sockaddr_in a, int listeners, long n)
{
	int ep = epoll_create1(0);
	if (ep < 0)
		die("epoll_create1");
	uint16_t port0 = ntohs(a.sin_port);
	long started = 0, established = 0;
	int in_flight = 0;
	uint64_t start = now_ns();
	struct epoll_event evs[256];
	while (established < n) {
		while (in_flight < IN_FLIGHT && started < n) {
			int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
			if (fd < 0)
				die("socket");
			a.sin_port = htons((uint16_t)(port0 + started % listeners));
			if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0 && errno != EINPROGRESS)
				die("connect");
			struct epoll_event ev = { .events = EPOLLOUT, .data.fd = fd };
			if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0)
				die("epoll_ctl");
			started++;
			in_flight++;
		}
		int k = wait_events(ep, evs, 256);
		for (int i = 0; i < k; i++) {
			int fd = evs[i].data.fd, err = 0;
			socklen_t len = sizeof(err);
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
				die("getsockopt(SO_ERROR)");
			if (err != 0) {
				errno = err;
				die("connect completed with an error");
			}
			if (epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL) != 0)
				die("epoll_ctl(DEL)");
			established++;
			in_flight--;
		}
	}
	report("idle-client", established, start, now_ns());
	hold();
}

int main(int argc, char **argv)
{
	if (argc != 7) {
		fprintf(stderr, "usage: kn_idle server|client ADDR PORT0 LISTENERS N SECONDS\n");
		return 2;
	}
	struct sockaddr_in a;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)atoi(argv[3]));
	if (inet_pton(AF_INET, argv[2], &a.sin_addr) != 1) {
		fprintf(stderr, "kn_idle: bad address %s\n", argv[2]);
		return 2;
	}
	int listeners = atoi(argv[4]);
	long n = atol(argv[5]);
	int seconds = atoi(argv[6]);
	if (listeners < 1 || listeners > 10000 || atoi(argv[3]) < 1 || atoi(argv[3]) + listeners > 65536) {
		fprintf(stderr, "kn_idle: LISTENERS must be 1..10000 and PORT0+LISTENERS at most 65536\n");
		return 2;
	}
	if (n < 1 || n > 2000000 || seconds < 1 || seconds > 600) {
		fprintf(stderr, "kn_idle: N must be 1..2000000 and SECONDS 1..600\n");
		return 2;
	}
	alarm((unsigned)seconds);
	allow_fds(n, listeners);
	if (!strcmp(argv[1], "server"))
		server(a, listeners, n);
	else if (!strcmp(argv[1], "client"))
		client(a, listeners, n);
	fprintf(stderr, "kn_idle: unknown role %s\n", argv[1]);
	return 2;
}
