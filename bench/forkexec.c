/*
 * The reference for the host target's cost per job in `npm run bench`: fork + execve of a
 * trivial program (the first argument, run with "exit") + waitpid, on this machine's kernel:
 * the least a runner that starts a process per test pays.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	if (argc > 1 && argv[1][0] == 'x')
		return 0;	/* the trivial program: this one, run again with "x" */
	long n = argc > 2 ? atol(argv[2]) : 2000;
	struct timespec a, b;
	char *child[] = { argv[0], "x", NULL };

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0) {
			execv("/proc/self/exe", child);
			_exit(127);
		}
		int status;
		if (waitpid(pid, &status, 0) != pid || status != 0)
			return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.0f\n", n / ((b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9));
	return 0;
}
