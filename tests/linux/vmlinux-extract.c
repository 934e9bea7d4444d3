// SPDX-License-Identifier: MIT
/*
 * vmlinux-extract: writes the ELF kernel inside an x86 bzImage (the xz
 * payload Debian ships) to a file, so the hypervisor can boot a stock
 * kernel as its ELF PV dom0. The bzImage setup header gives the payload's
 * place; liblzma decompresses it. Usage: vmlinux-extract bzImage out.elf
 */
#include <errno.h>
#include <lzma.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SETUP_SECTS 0x1f1
#define HDR_MAGIC 0x202	/* "HdrS" */
#define PAYLOAD_OFFSET 0x248
#define PAYLOAD_LENGTH 0x24c
#define OUT_MAX (512u << 20)

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET))
		return NULL;
	buf = malloc((size_t)n);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Locates the compressed payload; NULL with a message if malformed. */
static const uint8_t *payload(const uint8_t *img, size_t len, size_t *plen)
{
	size_t start, off, n;

	if (len < 0x250 || memcmp(img + HDR_MAGIC, "HdrS", 4)) {
		fprintf(stderr, "vmlinux-extract: not a bzImage\n");
		return NULL;
	}
	start = ((size_t)(img[SETUP_SECTS] ? img[SETUP_SECTS] : 4) + 1) * 512;
	off = le32(img + PAYLOAD_OFFSET);
	n = le32(img + PAYLOAD_LENGTH);
	if (start > len || off > len - start || n > len - start - off) {
		fprintf(stderr, "vmlinux-extract: payload outside the image\n");
		return NULL;
	}
	*plen = n;
	return img + start + off;
}

int main(int argc, char **argv)
{
	lzma_stream s = LZMA_STREAM_INIT;
	const uint8_t *in;
	size_t len, plen;
	uint8_t *img, *out;
	lzma_ret r;
	FILE *f;

	if (argc != 3) {
		fprintf(stderr, "usage: vmlinux-extract bzImage out.elf\n");
		return 2;
	}
	img = read_file(argv[1], &len);
	if (!img) {
		fprintf(stderr, "vmlinux-extract: %s: %s\n", argv[1],
			strerror(errno));
		return 1;
	}
	in = payload(img, len, &plen);
	out = malloc(OUT_MAX);
	if (!in || !out)
		return 1;
	/* The kernel appends its size after the xz stream: stop at the end. */
	if (lzma_stream_decoder(&s, UINT64_MAX, 0) != LZMA_OK)
		return 1;
	s.next_in = in;
	s.avail_in = plen;
	s.next_out = out;
	s.avail_out = OUT_MAX;
	r = lzma_code(&s, LZMA_FINISH);
	if (r != LZMA_STREAM_END || memcmp(out, "\177ELF", 4)) {
		fprintf(stderr, "vmlinux-extract: payload is not an xz ELF "
				"(lzma %d)\n", r);
		return 1;
	}
	f = fopen(argv[2], "wb");
	if (!f || fwrite(out, 1, s.total_out, f) != s.total_out || fclose(f)) {
		fprintf(stderr, "vmlinux-extract: %s: %s\n", argv[2],
			strerror(errno));
		return 1;
	}
	lzma_end(&s);
	return 0;
}
