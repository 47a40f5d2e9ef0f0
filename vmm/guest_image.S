/* SPDX-License-Identifier: MIT */
/*
 * The test guest (tests/guests/, built by mk/guests.mk) as bytes inside skiff's image:
 * test_guest_image .. test_guest_image_end, copied into a VM's RAM at TEST_GUEST_LOAD by
 * vmm/guest_selftest.c.
 */
	.section .rodata
	.balign 16
	.globl test_guest_image
	.hidden test_guest_image
test_guest_image:
	.incbin TEST_GUEST_BIN
	.globl test_guest_image_end
	.hidden test_guest_image_end
test_guest_image_end:

	.section .note.GNU-stack, "", @progbits
