# SPDX-License-Identifier: MIT
# Test targets of the xenstore area; included by dom0-tools/Makefile.
test: all
	@echo "xenstore tests: none yet"
bench: all
