# SPDX-License-Identifier: MIT
"""Boots one hypervisor + PV test kernel under QEMU TCG and reports how the
machine ended. Shared by pvtest-run (conformance) and pvtest-bench.

Our hypervisor ends QEMU through isa-debug-exit when dom0 shuts down:
exit status ((0x20 + reason) << 1) | 1; a hypervisor panic gives 255.
Xen 4.17 does not power off: it logs the hardware domain's shutdown, and
we end QEMU ourselves once that line is seen."""

import os
import re
import select
import signal
import subprocess
import time

REASONS = ["poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset"]

# Xen 4.17 xen/common/shutdown.c:hwdom_shutdown() messages.
XEN_END_LINES = [
    (re.compile(r"Hardware Dom\d+ halted: halting machine"), "poweroff"),
    (re.compile(r"Hardware Dom\d+ shutdown: rebooting machine"), "reboot"),
    (re.compile(r"Hardware Dom\d+ shutdown: watchdog rebooting"), "watchdog"),
    (re.compile(r"Hardware Dom\d+ crashed"), "crash"),
    (re.compile(r"Hardware domain \d+ did unsupported soft reset"),
     "soft_reset"),
    (re.compile(r"Hardware Dom\d+ shutdown \(unknown reason 2\)"), "suspend"),
    (re.compile(r"Panic on CPU"), "hv-panic"),
]

HV_ARGS = {
    "ours": "console=com1 loglevel=info",
    "xen": "console=com1 dom0_mem=64M noreboot",
}


def exit_status_reason(status):
    """Maps our hypervisor's QEMU exit status to a shutdown reason."""
    if status == 255:
        return "hv-panic"
    if status & 1 and (status >> 1) >= 0x20:
        idx = (status >> 1) - 0x20
        if idx < len(REASONS):
            return REASONS[idx]
    return "exit-status-%d" % status


def qemu_command(hv, image, kernel, args, icount=False, hv_extra="",
                 modules=(), smp=1):
    """modules: further boot modules (path plus arguments), after dom0's."""
    module = ",".join([kernel + (" " + args if args else "")] + list(modules))
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-cpu", "max,-smap",
           "-m", "256", "-monitor", "none", "-no-reboot",
           "-display", "none", "-serial", "stdio",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
           "-kernel", image, "-append",
           (HV_ARGS[hv] + " " + hv_extra).strip(), "-initrd", module]
    if icount:
        cmd += ["-icount", "shift=0,sleep=off"]
    if smp > 1:
        cmd += ["-smp", str(smp)]
    return cmd


class Boot:
    """Result of one boot: the serial lines and how it ended."""

    def __init__(self):
        self.lines = []
        self.reason = None      # a REASONS entry, "hv-panic", "timeout", ...
        self.seconds = 0.0


def _stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


INPUT_PROMPT = "WAITING FOR INPUT"


def boot(hv, image, kernel, args, timeout=120, icount=False, echo=None,
         hv_extra="", modules=(), smp=1, stdin_text=None):
    """Runs QEMU until the machine ends (ours) or Xen logs dom0's end.
    stdin_text: typed on the serial port once a line contains
    INPUT_PROMPT (the guest is then ready to read it)."""
    res = Boot()
    start = time.monotonic()
    proc = subprocess.Popen(qemu_command(hv, image, kernel, args, icount,
                                         hv_extra, modules, smp),
                            stdin=(subprocess.PIPE if stdin_text
                                   else subprocess.DEVNULL),
                            stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    buf = b""
    deadline = start + timeout
    try:
        while res.reason is None:
            left = deadline - time.monotonic()
            if left <= 0:
                res.reason = "timeout"
                break
            ready, _, _ = select.select([proc.stdout], [], [], left)
            if not ready:
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                raw, buf = buf.split(b"\n", 1)
                line = raw.decode("utf-8", "replace").rstrip("\r")
                res.lines.append(line)
                if echo:
                    echo(line)
                if stdin_text and INPUT_PROMPT in line:
                    proc.stdin.write(stdin_text.encode())
                    proc.stdin.flush()
                    stdin_text = None
                if hv == "xen":
                    for pat, reason in XEN_END_LINES:
                        if pat.search(line):
                            res.reason = reason
                            break
        if buf:
            res.lines.append(buf.decode("utf-8", "replace").rstrip("\r"))
        if res.reason is None:
            status = proc.wait(timeout=10)
            res.reason = (exit_status_reason(status) if hv == "ours"
                          else "qemu-exit-%d" % status)
    finally:
        _stop(proc)
    res.seconds = time.monotonic() - start
    return res
