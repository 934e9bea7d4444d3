#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Random concurrent workload: 8 clients mixing writes, reads, removals,
# directories, watches, permissions, transactions (committed and aborted),
# RESET_WATCHES and reconnects on overlapping paths. Every request must get
# a reply; the daemon must neither crash nor drop a client.
# Usage: stress.py SOCKET [OPS_PER_CLIENT]
import random
import socket
import struct
import sys
import threading

P = sys.argv[1]
OPS = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
errors = []


def conn():
    s = socket.socket(socket.AF_UNIX); s.connect(P); s.settimeout(5); return s
def call(s, t, p, tx=0):
    s.sendall(struct.pack('<IIII', t, 0, tx, len(p)) + p)
    while True:
        h = b''
        while len(h) < 16:
            c = s.recv(16 - len(h))
            if not c: raise EOFError
            h += c
        ty, _, _, n = struct.unpack('<IIII', h)
        b = b''
        while len(b) < n: b += s.recv(n - len(b))
        if ty != 15: return ty, b
names = [b'/s', b'/s/a', b'/s/b', b'/s/a/x', b'/s/a/y', b'/s/b/z', b'rel', b'rel/q', b'@releaseDomain', b'/s/a/x/deep']
def worker(seed):
    r = random.Random(seed)
    s = conn(); tx = 0
    for i in range(OPS):
        op = r.randrange(14)
        p = r.choice(names)
        try:
            if op == 0: call(s, 11, p + b'\0' + bytes(r.randrange(50)), tx)
            elif op == 1: call(s, 2, p + b'\0', tx)
            elif op == 2: call(s, 13, p + b'\0', tx)
            elif op == 3: call(s, 1, p + b'\0', tx)
            elif op == 4: call(s, 12, p + b'\0', tx)
            elif op == 5: call(s, 4, p + b'\0tok%d\0' % r.randrange(3))
            elif op == 6: call(s, 5, p + b'\0tok%d\0' % r.randrange(3))
            elif op == 7:
                ty, b = call(s, 6, b'\0')
                if ty == 6: tx = int(b.rstrip(b'\0'))
            elif op == 8:
                call(s, 7, r.choice([b'T\0', b'F\0']), tx); tx = 0
            elif op == 9: call(s, 14, p + b'\0n0\0r%d\0' % r.randrange(5), tx)
            elif op == 10: call(s, 22, p + b'\0%d\0' % r.randrange(10), tx)
            elif op == 11: call(s, 21, b'\0'); tx = 0
            elif op == 12: call(s, 3, p + b'\0', tx)
            elif op == 13:
                s.close(); s = conn(); tx = 0
        except (EOFError, ConnectionError, socket.timeout) as e:
            errors.append('client %d op %d: %r' % (seed, op, e))
            s = conn()
            tx = 0
ths = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
for t in ths:
    t.start()
for t in ths:
    t.join()
print('stress: %d clients x %d requests, %d errors' % (len(ths), OPS, len(errors)))
for e in errors[:10]:
    print('  ' + e)
sys.exit(1 if errors else 0)
