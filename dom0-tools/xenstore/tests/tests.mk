# SPDX-License-Identifier: MIT
# Test and bench targets of the xenstore area; included by
# dom0-tools/Makefile. run-tests.sh starts the daemon under valgrind and
# runs everything; see xenstore/README.md.
TESTS := $(XS)/tests
T_OBJ := $(addprefix $(O)/tests/,cunit_main.o t_lib.o t_store.o t_client.o \
	t_ring.o t_bad.o guest_ring.o t_xsfree.o xs-free.o xenbus.o \
	xenbus-free.o)
CUNIT := $(O)/xs-cunit
BENCH := $(O)/xs-bench
BRIDGE := $(O)/xs-ring-bridge
STORE_BENCH := $(O)/xs-store-bench
FUZZ := $(O)/xs-fuzz

$(O)/tests/%.o: $(TESTS)/%.c $(wildcard $(TESTS)/*.h $(XS)/daemon/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS) -pthread -c -o $@ $<

# Our PV kernels' freestanding client and the drivers' xenbus layer over
# it, tested here over a simulated ring.
$(O)/tests/%.o: $(TOP)/frontend/env/%.c $(wildcard $(TOP)/frontend/env/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS) -c -o $@ $<

$(CUNIT): $(T_OBJ) $(CORE_OBJ) $(LIBXS)
	@echo "  CC      $@"
	@$(CC) -o $@ $(T_OBJ) $(CORE_OBJ) -L$(BUILD)/lib -l:libxenstore.so.4 \
		-Wl,-rpath,$(BUILD)/lib -lcunit -pthread

$(BRIDGE): $(O)/tests/ring_bridge.o $(O)/tests/guest_ring.o $(LIBXS)
	@echo "  CC      $@"
	@$(CC) -o $@ $(O)/tests/ring_bridge.o $(O)/tests/guest_ring.o \
		-L$(BUILD)/lib -l:libxenstore.so.4 -Wl,-rpath,$(BUILD)/lib

$(STORE_BENCH): $(O)/tests/store_bench.o $(CORE_OBJ)
	@echo "  CC      $@"
	@$(CC) -o $@ $^

$(BENCH): $(O)/tests/bench.o $(O)/tests/guest_ring.o $(LIBXS)
	@echo "  CC      $@"
	@$(CC) -o $@ $(O)/tests/bench.o $(O)/tests/guest_ring.o \
		-L$(BUILD)/lib -l:libxenstore.so.4 -Wl,-rpath,$(BUILD)/lib -pthread

# libFuzzer target over the request parser and the ring consumer, built
# with clang from the daemon sources (not the gcc objects).
FUZZ_SRC := $(TESTS)/fuzz_wire.c $(DAEMON_CORE)
$(FUZZ): $(FUZZ_SRC) $(wildcard $(XS)/daemon/*.h)
	@echo "  CC      $@"
	@clang -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -D_GNU_SOURCE \
		-I$(XS)/lib/include -I$(TOP)/hypercall-abi/include \
		-o $@ $(FUZZ_SRC)

# Shim libraries that let Xen's own xenstored run here (xen-xenstored.sh).
SHIM := $(O)/xen-shim
SHIM_LIBS := $(SHIM)/libxenctrl.so.4.17 $(SHIM)/libxenevtchn.so.1 \
	$(SHIM)/libxengnttab.so.1
$(SHIM)/libxenctrl.so.4.17: MAP := ctrl
$(SHIM)/libxenevtchn.so.1: MAP := evtchn
$(SHIM)/libxengnttab.so.1: MAP := gnttab
$(SHIM_LIBS): $(TESTS)/xen_shim.c $(wildcard $(TESTS)/xen_shim_*.map)
	@mkdir -p $(SHIM)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS) -shared -fPIC -Wl,-soname,$(notdir $@) \
		-Wl,--version-script=$(TESTS)/xen_shim_$(MAP).map -o $@ $<

test: all $(CUNIT) $(FUZZ) $(BRIDGE) $(SHIM_LIBS)
	cd $(TOP) && PEERS_OUT=$(BUILD)/peers scripts/fetch-peers xenstore \
		xenstored || echo "warning: peers missing, their tests fail/skip"
	$(TESTS)/run-tests.sh $(BUILD) $(CUNIT) $(FUZZ) $(BRIDGE)

bench: all $(BENCH) $(STORE_BENCH) $(SHIM_LIBS)
	cd $(TOP) && PEERS_OUT=$(BUILD)/peers scripts/fetch-peers xenstored || \
		echo "bench: no Xen xenstored peer"
	$(TESTS)/run-bench.sh $(BUILD) $(BENCH) $(STORE_BENCH)

fuzz: $(FUZZ)
