// SPDX-License-Identifier: MIT
/*
 * xenstore-control: send one XS_CONTROL command with its arguments
 * (NUL-separated) to the daemon and print the answer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenstore.h>

int main(int argc, char **argv)
{
	char args[XENSTORE_PAYLOAD_MAX];
	size_t used = 0;
	struct xs_handle *h;
	char *ret;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: xenstore-control <command> [<args>]\n");
		return 2;
	}
	for (i = 2; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;

		if (used + n > sizeof(args)) {
			fprintf(stderr, "xenstore-control: arguments too long\n");
			return 2;
		}
		memcpy(args + used, argv[i], n);
		used += n;
	}
	h = xs_open(0);
	if (!h) {
		fprintf(stderr, "xenstore-control: failed to connect: %s\n",
			strerror(errno));
		return 2;
	}
	ret = xs_control_command(h, argv[1], args, (unsigned int)used);
	if (!ret) {
		fprintf(stderr, "xenstore-control: %s failed: %s\n", argv[1],
			strerror(errno));
		xs_close(h);
		return 3;
	}
	if (strcmp(ret, "OK"))
		printf("%s%s", ret, ret[0] && ret[strlen(ret) - 1] != '\n' ?
		       "\n" : "");
	free(ret);
	xs_close(h);
	return 0;
}
