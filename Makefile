# dr7 — build, tests, demo and benchmark.
#   make            build build/dr7
#   make check      every test; ends with "N passed, N failed"   (SAN=1: ASan+UBSan)
#   make demo       a scripted session on a bundled program
#   make bench      dr7 against gdb on the same workloads

SAN ?=
ifeq ($(SAN),1)
BUILD := build/san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
BUILD := build
SANFLAGS :=
endif

CC ?= cc
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ALL_CFLAGS := -std=gnu11 $(WARN) $(CFLAGS) $(SANFLAGS) -Isrc -MMD -MP
LDLIBS := -ldw -lelf -ldebuginfod -lZydis -ledit
ALL_LDFLAGS := $(LDFLAGS) $(SANFLAGS)

CORE_SRC := $(filter-out src/front/%,$(wildcard src/*/*.c src/*/*/*.c))
# The front end (the command line and the DAP server) is linked into dr7 only.
FRONT_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(wildcard src/front/*.c))
FRONT_LDLIBS := -ljansson -lpthread
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# tests/unit/*.c that are not tests (the fake backend) are linked into every unit test.
UNIT_HELPER_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c)))

.PHONY: all deps check unit e2e demo bench clean
.DEFAULT_GOAL := all

all: $(BUILD)/dr7
ifneq ($(BUILD),build)
all: build/dr7-link
endif

# Stamp: the packages dr7 needs are present (installs them when run as root).
$(BUILD)/.deps: scripts/deps.sh
	@mkdir -p $(BUILD)
	@sh scripts/deps.sh build
	@touch $@

# Stamp: what the tests need too (cmocka, gcc-multilib, binutils, gdb).
$(BUILD)/.deps-test: scripts/deps.sh $(BUILD)/.deps
	@mkdir -p $(BUILD)
	@sh scripts/deps.sh test
	@touch $@

deps: $(BUILD)/.deps

$(BUILD)/%.o: %.c $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libdr7.a: $(CORE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/dr7: $(FRONT_OBJ) $(BUILD)/libdr7.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS) $(FRONT_LDLIBS)

build/dr7-link:
	@true

$(BUILD)/tests/%: tests/unit/%.c $(UNIT_HELPER_OBJ) $(BUILD)/libdr7.a $(BUILD)/.deps-test
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(UNIT_HELPER_OBJ) $(BUILD)/libdr7.a $(LDLIBS) -lcmocka

# Naming the helpers here keeps make from deleting them as intermediate files.
unit: $(UNIT_HELPER_OBJ) $(UNIT_BIN)

check: $(BUILD)/.deps-test $(BUILD)/dr7 $(UNIT_BIN)
	@BUILD=$(BUILD) sh tests/run.sh

demo: $(BUILD)/dr7
	@BUILD=$(BUILD) sh scripts/demo.sh

bench: $(BUILD)/dr7
	@sh scripts/deps.sh bench
	@BUILD=$(BUILD) sh bench/run.sh $(BENCH_ARGS)

clean:
	rm -rf build

-include $(CORE_OBJ:.o=.d) $(UNIT_HELPER_OBJ:.o=.d) $(FRONT_OBJ:.o=.d)
