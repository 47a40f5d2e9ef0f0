/* SPDX-License-Identifier: MIT */
/* Reading a whole file in a host test (the corpus, Debian's kernel, iasl's output). */
#ifndef SKIFF_TESTS_UNIT_FILE_READ_H
#define SKIFF_TESTS_UNIT_FILE_READ_H

#include <stddef.h>

/*
 * test_file_read - the whole file at @path in a malloc()ed buffer with a NUL byte after its
 * *@size bytes (so text can be searched as a string); free() it. NULL when the file cannot be
 * opened; a file that opens but cannot be read whole fails the running test.
 */
void *test_file_read(const char *path, size_t *size);

#endif
