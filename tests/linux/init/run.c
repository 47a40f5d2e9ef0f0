// SPDX-License-Identifier: MIT
/* The guest program's use of busybox and of time (run.h). */
#include "tests/linux/init/run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/linux/init/params.h"

#define POLL_INTERVAL_MS 10

uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int wait_for(int (*ready)(const char *arg), const char *arg, unsigned int timeout_ms)
{
	uint64_t end = now_ms() + timeout_ms;
	const struct timespec interval = { .tv_nsec = POLL_INTERVAL_MS * 1000000L };

	while (!ready(arg)) {
		if (now_ms() >= end)
			return -ETIMEDOUT;
		nanosleep(&interval, NULL);
	}
	return 0;
}

/* Read the child's output from @fd into @out until it closes it or @end passes. */
static int collect(int fd, char *out, size_t out_len, uint64_t end)
{
	size_t used = 0;
	char discard[256];

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		uint64_t now = now_ms();
		ssize_t got;
		int ready;

		if (now >= end)
			return -ETIMEDOUT;
		ready = poll(&p, 1, (int)(end - now));
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready < 0)
			return -errno;
		if (ready == 0)
			return -ETIMEDOUT;
		if (used + 1 < out_len)
			got = read(fd, out + used, out_len - 1 - used);
		else
			got = read(fd, discard, sizeof(discard));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -errno;
		if (got == 0)
			break;
		if (used + 1 < out_len)
			used += (size_t)got;
	}
	out[used] = '\0';
	return 0;
}

/* Wait for the child @pid to end, until @end; 0 with its @status, or a negative errno. */
static int reap(pid_t pid, int *status, uint64_t end)
{
	const struct timespec interval = { .tv_nsec = POLL_INTERVAL_MS * 1000000L };
	pid_t got;

	while ((got = waitpid(pid, status, WNOHANG)) == 0) {
		if (now_ms() >= end)
			return -ETIMEDOUT;
		nanosleep(&interval, NULL);
	}
	return got < 0 ? -errno : 0;
}

int run_busybox(const char *const argv[], char *out, size_t out_len, unsigned int timeout_ms)
{
	uint64_t end = now_ms() + timeout_ms;
	int fds[2], status, err;
	pid_t pid;

	if (out_len == 0)
		return -EINVAL;
	out[0] = '\0';
	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(fds[0]);
		close(fds[1]);
		return err;
	}
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		dup2(fds[1], STDERR_FILENO);
		execv(BUSYBOX, (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	err = collect(fds[0], out, out_len, end);
	close(fds[0]);
	if (!err)
		err = reap(pid, &status, end);
	if (err) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return err;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -ECHILD;
}

int run_sha256(const char *path, char *hex, unsigned int timeout_ms)
{
	const char *const argv[] = { "sha256sum", path, NULL };
	char out[SHA256_HEX_LEN + PARAMS_FILE_MAX + 64]; /* "DIGEST  PATH\n" */
	int status = run_busybox(argv, out, sizeof(out), timeout_ms);

	if (status < 0)
		return status;
	if (status != 0 || strlen(out) <= SHA256_HEX_LEN || out[SHA256_HEX_LEN] != ' ')
		return -EIO;
	out[SHA256_HEX_LEN] = '\0';
	return params_sha256(out, hex) ? -EIO : 0;
}
