# SPDX-License-Identifier: MIT
# Top-level build. Every directory is one deliverable with its own Makefile
# that provides `all` and `test` (and `clean`); this file only orders them.
#
#   make              build everything; the bootable image is build/hypervisor.elf
#   make run          boot the hypervisor with Linux dom0 and a Linux domU in QEMU:
#                     dom0's shell on stdio (three Ctrl-T switch to the domU)
#   make demo         boot the hypervisor with the small demo PV guest
#   make test         install what is missing, build, run every test (CI runs this)
#   make conformance  the hypercall conformance suite on our hypervisor
#   make conformance-xen  the same suite on Xen 4.17 (Debian's package)
#   make bench        benchmarks: ours vs Xen 4.17 vs native, -icount virtual time
#   make linux        boot Debian's stock Linux 6.1 as dom0 and run its checks

export TOP := $(CURDIR)
export BUILD := $(TOP)/build
MAKEFLAGS += --no-print-directory

SUBDIRS := hypervisor tests dom0-tools backend frontend

.PHONY: all deps peers run demo linux test unit conformance conformance-xen bench clean \
	$(SUBDIRS)

all: $(SUBDIRS)

hypervisor:
	$(MAKE) -C hypervisor all
tests: hypervisor
	$(MAKE) -C tests all
dom0-tools:
	$(MAKE) -C dom0-tools all
backend: dom0-tools
	$(MAKE) -C backend all
frontend: dom0-tools
	$(MAKE) -C frontend all

deps:
	scripts/install-deps

peers: deps
	scripts/fetch-peers xen xenstore xenstored linux

run: deps peers all
	$(MAKE) -C tests/linux shell

demo: deps all
	tests/run-demo

# Every suite runs even when an earlier one fails (make -k); the command
# fails if any did. Cheap host tests first, then the QEMU suites.
TEST_STEPS := test-unit test-abi test-repo test-xenstore test-backend \
	test-frontend test-conformance test-conformance-xen test-grub \
	test-linux test-linux-domu test-linux-pair test-linux-xen
.PHONY: $(TEST_STEPS)

test: deps peers
	$(MAKE) all
	$(MAKE) -k $(TEST_STEPS)

test-unit:
	$(MAKE) -C tests unit
test-abi:
	$(MAKE) -C hypercall-abi test
test-repo:
	$(MAKE) -C scripts test
test-xenstore:
	$(MAKE) -C dom0-tools test
test-backend:
	$(MAKE) -C backend test
test-frontend:
	$(MAKE) -C frontend test
test-conformance:
	$(MAKE) -C tests conformance
test-conformance-xen:
	$(MAKE) -C tests conformance-xen
test-grub:
	$(MAKE) -C tests grub
test-linux:
	$(MAKE) -C tests/linux run
test-linux-domu:
	$(MAKE) -C tests/linux run-domu
test-linux-pair:
	$(MAKE) -C tests/linux run-pair
test-linux-xen:
	$(MAKE) -C tests/linux run-xen

linux: deps peers all
	$(MAKE) -C tests/linux run

unit: all
	$(MAKE) -C tests unit

conformance: deps all
	$(MAKE) -C tests conformance

conformance-xen: deps peers all
	$(MAKE) -C tests conformance-xen

bench: deps peers all
	$(MAKE) -C tests bench
	$(MAKE) -C dom0-tools bench
	$(MAKE) -C backend bench

clean:
	rm -rf build
