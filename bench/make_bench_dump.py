#!/usr/bin/env python3
"""Makes the extraction benchmark's inputs from the English fixture dump.

The fixture's pages are repeated until the XML reaches the target size (about 60 MB),
then written three ways: plain XML, one bzip2 stream (like `bzip2 -9`), and a multistream
bzip2 file of 100 pages per stream with the header in its own stream, as Wikimedia's
"multistream" dumps are laid out.
"""
import argparse
import bz2
import os
import re


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fixture", help="the English fixture dump (.bz2)")
    parser.add_argument("outdir")
    parser.add_argument("--megabytes", type=float, default=60)
    args = parser.parse_args()

    xml = bz2.decompress(open(args.fixture, "rb").read())
    head_end = xml.index(b"<page>")
    head_end = xml.rindex(b"\n", 0, head_end) + 1
    tail_start = xml.rindex(b"</mediawiki>")
    tail_start = xml.rindex(b"\n", 0, tail_start) + 1
    header, body, footer = xml[:head_end], xml[head_end:tail_start], xml[tail_start:]
    pages = re.findall(rb"[ \t]*<page>.*?</page>\n", body, re.S)
    copies = max(1, round(args.megabytes * 1e6 / len(body)))
    pages = pages * copies

    os.makedirs(args.outdir, exist_ok=True)
    plain = header + b"".join(pages) + footer
    with open(os.path.join(args.outdir, "bench.xml"), "wb") as out:
        out.write(plain)
    with open(os.path.join(args.outdir, "bench.xml.bz2"), "wb") as out:
        out.write(bz2.compress(plain, 9))
    with open(os.path.join(args.outdir, "bench-multistream.xml.bz2"), "wb") as out:
        out.write(bz2.compress(header, 9))
        for start in range(0, len(pages), 100):
            chunk = b"".join(pages[start:start + 100])
            if start + 100 >= len(pages):
                chunk += footer
            out.write(bz2.compress(chunk, 9))
    print(f"{len(pages)} pages, {len(plain) / 1e6:.1f} MB of XML in {args.outdir}")


if __name__ == "__main__":
    main()
