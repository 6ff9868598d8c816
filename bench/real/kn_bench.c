/*
 * kn_bench: the real-kernel side of KernelNet's full-path benchmarks.
 * One binary, five roles; bench/real/run.sh starts a receiver in one network
 * namespace and a sender in the other (over a veth pair) and reads the one
 * line each prints. Every role is bounded in time (its seconds argument, and
 * a receive timeout), so no run can hang.
 *
 *   udp-recv  ADDR PORT SECONDS          count 64 B datagrams until idle
 *   udp-send  ADDR PORT SECONDS          send 64 B datagrams for SECONDS
 *   tcp-sink  ADDR PORT SECONDS          accept one connection, read to EOF
 *   tcp-bulk  ADDR PORT SECONDS          connect, write 64 KB chunks for SECONDS
 *   tcp-echo  ADDR PORT SECONDS          accept one connection, echo to EOF
 *   tcp-rr    ADDR PORT SECONDS          connect, 64 B ping-pong for SECONDS
 *
 * Each prints one line: role=... count=... bytes=... wall_ns=... cpu_ns=...
 * where wall_ns is the time its traffic took (first to last packet for a
 * receiver) and cpu_ns its own time on a CPU (see cpu_ns), which includes the
 * softirq work done in its context.
 */
#include "kn_common.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in addr_of(const char *ip, const char *port)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)atoi(port));
	if (inet_pton(AF_INET, ip, &a.sin_addr) != 1) {
		fprintf(stderr, "kn_bench: bad address %s\n", ip);
		exit(2);
	}
	return a;
}

static void set_timeout(int fd, int ms)
{
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		die("SO_RCVTIMEO");
}

static void report(const char *role, uint64_t count, uint64_t bytes, uint64_t wall)
{
	printf("role=%s count=%llu bytes=%llu wall_ns=%llu cpu_ns=%llu\n", role,
	       (unsigned long long)count, (unsigned long long)bytes,
	       (unsigned long long)wall, (unsigned long long)cpu_ns());
	fflush(stdout);
}

/* The listener is ready when this returns: run.sh waits for the line "ready". */
static int listen_on(struct sockaddr_in *a, int type)
{
	int one = 1;
	int fd = socket(AF_INET, type, 0);
	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)a, sizeof(*a)) < 0)
		die("bind");
	if (type == SOCK_STREAM && listen(fd, 1) < 0)
		die("listen");
	printf("ready\n");
	fflush(stdout);
	return fd;
}

static int accept_one(int lfd, int seconds)
{
	set_timeout(lfd, (seconds + 5) * 1000);
	int fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		die("accept");
	return fd;
}

static int connect_to(struct sockaddr_in *a)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	if (connect(fd, (struct sockaddr *)a, sizeof(*a)) < 0)
		die("connect");
	return fd;
}

static void udp_recv(struct sockaddr_in *a, int seconds)
{
	char buf[2048];
	int fd = listen_on(a, SOCK_DGRAM);
	uint64_t count = 0, first = 0, last = 0;
	/* Wait up to seconds+5 for the first datagram, then stop 300 ms after the last. */
	set_timeout(fd, (seconds + 5) * 1000);
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			break;
		last = now_ns();
		if (count++ == 0) {
			first = last;
			set_timeout(fd, 300);
		}
	}
	report("udp-recv", count, count * 64, last - first);
}

static void udp_send(struct sockaddr_in *a, int seconds)
{
	char payload[64] = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	uint64_t start = now_ns(), end = start + (uint64_t)seconds * 1000000000ull, t = start;
	uint64_t count = 0;
	while (t < end) {
		for (int i = 0; i < 256; i++)
			if (sendto(fd, payload, sizeof(payload), 0, (struct sockaddr *)a, sizeof(*a)) == sizeof(payload))
				count++;
		t = now_ns();
	}
	report("udp-send", count, count * 64, t - start);
}

static void tcp_sink(struct sockaddr_in *a, int seconds)
{
	static char buf[1 << 17];
	int fd = accept_one(listen_on(a, SOCK_STREAM), seconds);
	set_timeout(fd, (seconds + 5) * 1000);
	uint64_t bytes = 0, start = now_ns();
	ssize_t n;
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0)
		bytes += (uint64_t)n;
	report("tcp-sink", bytes / 65536, bytes, now_ns() - start);
}

static void tcp_bulk(struct sockaddr_in *a, int seconds)
{
	static char chunk[65536];
	int fd = connect_to(a);
	uint64_t start = now_ns(), end = start + (uint64_t)seconds * 1000000000ull, t = start, bytes = 0;
	while (t < end) {
		ssize_t n = send(fd, chunk, sizeof(chunk), 0);
		if (n <= 0)
			die("send");
		bytes += (uint64_t)n;
		t = now_ns();
	}
	close(fd);
	report("tcp-bulk", bytes / 65536, bytes, t - start);
}

static void tcp_echo(struct sockaddr_in *a, int seconds)
{
	char buf[64];
	int fd = accept_one(listen_on(a, SOCK_STREAM), seconds);
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	set_timeout(fd, (seconds + 5) * 1000);
	uint64_t count = 0, start = now_ns();
	ssize_t n;
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		if (send(fd, buf, (size_t)n, 0) != n)
			die("send");
		count++;
	}
	report("tcp-echo", count, count * 64, now_ns() - start);
}

static void tcp_rr(struct sockaddr_in *a, int seconds)
{
	char buf[64] = { 0 };
	int fd = connect_to(a);
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	set_timeout(fd, 5000);
	uint64_t start = now_ns(), end = start + (uint64_t)seconds * 1000000000ull, t = start, rounds = 0;
	while (t < end) {
		if (send(fd, buf, sizeof(buf), 0) != sizeof(buf))
			die("send");
		for (size_t got = 0; got < sizeof(buf);) {
			ssize_t n = recv(fd, buf, sizeof(buf) - got, 0);
			if (n <= 0)
				die("recv");
			got += (size_t)n;
		}
		rounds++;
		if ((rounds & 63) == 0)
			t = now_ns();
	}
	t = now_ns();
	close(fd);
	report("tcp-rr", rounds, rounds * 64, t - start);
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: kn_bench ROLE ADDR PORT SECONDS\n");
		return 2;
	}
	struct sockaddr_in a = addr_of(argv[2], argv[3]);
	int seconds = atoi(argv[4]);
	if (seconds < 1 || seconds > 30) {
		fprintf(stderr, "kn_bench: SECONDS must be 1..30\n");
		return 2;
	}
	if (!strcmp(argv[1], "udp-recv"))
		udp_recv(&a, seconds);
	else if (!strcmp(argv[1], "udp-send"))
		udp_send(&a, seconds);
	else if (!strcmp(argv[1], "tcp-sink"))
		tcp_sink(&a, seconds);
	else if (!strcmp(argv[1], "tcp-bulk"))
		tcp_bulk(&a, seconds);
	else if (!strcmp(argv[1], "tcp-echo"))
		tcp_echo(&a, seconds);
	else if (!strcmp(argv[1], "tcp-rr"))
		tcp_rr(&a, seconds);
	else {
		fprintf(stderr, "kn_bench: unknown role %s\n", argv[1]);
		return 2;
	}
	return 0;
}
