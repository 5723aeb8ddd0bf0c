#!/usr/bin/env python3
# Derive the fuzzer's uncompressed and hostile seeds from the valid ones in
# tests/fuzz/corpus/ (see tests/fuzz_reader.c for how those are made).
# Needs the zstd command. Run from the repository root.
# With FILE arguments: give their blocks valid CRCs, as the fuzz target does
# (for a crashing input kept in the corpus, readable by `analyze` too).
import struct
import subprocess
import sys
import zlib

CORPUS = "tests/fuzz/corpus/"
FILE_HDR = 24
BLOCK = struct.Struct("<IBBHIIII")  # magic kind codec reserved raw stored nrec crc


def blocks(data):
    """(header fields, payload) of each block"""
    off = FILE_HDR
    while off + BLOCK.size <= len(data):
        h = list(BLOCK.unpack_from(data, off))
        yield h, data[off + BLOCK.size:off + BLOCK.size + h[5]]
        off += BLOCK.size + h[5]


def block(h, payload):
    h = h[:5] + [len(payload), h[6], 0]
    crc = zlib.crc32(payload, zlib.crc32(BLOCK.pack(*h)))
    return BLOCK.pack(*h[:7], crc) + payload


def uncompressed(data):
    out = data[:FILE_HDR]
    for h, p in blocks(data):
        if h[2] == 1:
            p = subprocess.run(["zstd", "-dc"], input=p, capture_output=True,
                               check=True).stdout
            h[2] = 0
        out += block(h, p)
    return out


def write(name, data):
    with open(CORPUS + name, "wb") as f:
        f.write(data)


if sys.argv[1:]:
    for path in sys.argv[1:]:
        data = open(path, "rb").read()
        out = data[:FILE_HDR]
        for h, p in blocks(data):
            out += block(h, p)
        with open(path, "wb") as f:
            f.write(out + data[len(out):])
    sys.exit(0)

valid = open(CORPUS + "tracegen-import.bpfrec", "rb").read()
raw = uncompressed(valid)
write("tracegen-import-raw.bpfrec", raw)
# a file cut in the middle of its second block
first = FILE_HDR + BLOCK.size + next(blocks(raw))[0][5]
write("hostile-truncated.bpfrec", raw[:first + 40])
# the first record of every block claims 0xfff8 bytes, the next 8
hostile = raw[:FILE_HDR]
for h, p in blocks(raw):
    hostile += block(h, p[:2] + struct.pack("<H", 0xfff8) + p[4:])
write("hostile-sizes.bpfrec", hostile)
# a block announcing 4 MiB + 1 decoded bytes (BF_BLOCK_RAW_MAX + 1)
h, p = next(blocks(valid))
h[4] = (4 << 20) + 1
write("hostile-rawlen.bpfrec", valid[:FILE_HDR] + block(h, p))
