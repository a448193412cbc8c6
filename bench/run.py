"""`make bench`: run every benchmark and write BENCHMARKS.md (date and machine included)."""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024**2:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    chromium = "Chromium (Playwright's)"
    try:
        chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True,
                                  text=True, timeout=30).stdout.strip() or chromium
    except (OSError, subprocess.SubprocessError):
        pass
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}){mem}; "
            f"CPython {platform.python_version()}; {chromium}, headless")


def _sections(text: str) -> dict[str, str]:
    """`## Title` -> its text, from a BENCHMARKS.md written before (for --only)."""
    out: dict[str, str] = {}
    title = None
    for line in text.splitlines():
        if line.startswith("## ") or line.startswith("<!--"):
            title = line[3:].strip() if line.startswith("## ") else None
            if title is not None:
                out[title] = ""
        elif title is not None:
            out[title] += line + "\n"
    return {k: v.strip() for k, v in out.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=HERE.parent / "BENCHMARKS.md")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="run only this benchmark (the first word of its name: startup, "
                             "engine, training, open, engines; repeatable) "
                             "and keep the other sections of --out as they are")
    args = parser.parse_args(argv)

    import disk
    import engine_bench
    import engines
    import light
    import live

    site = HERE.parent / "site"
    benchmarks = (
        ("Start, size, training and memory (browser)", "startup (browser)",
         lambda: light.markdown(light.measure({"this build": site}, args.runs),
                                ["this build"])),
        ("Engine speed (CPython)", "engine (CPython)",
         lambda: engine_bench.markdown(engine_bench.run())),
        ("Training with live views (browser)", "training with live views (browser)",
         lambda: live.markdown(live.measure())),
        ("Open from disk (browser, file:, `make disk`)", "open from disk (browser)",
         lambda: disk.markdown(disk.measure(3))),
        ("Browser engines: Chromium, Firefox, WebKitGTK, and a tablet profile",
         "engines (browser)", lambda: engines.markdown(engines.measure(3))),
    )
    sections = []
    kept = _sections(args.out.read_text()) if args.only and args.out.exists() else {}
    for title, what, table in benchmarks:
        if args.only and what.split()[0] not in args.only:
            if title in kept:  # a section never written before stays out
                sections.append((title, kept[title]))
            continue
        print(f"{what} ...", flush=True)
        sections.append((title, table()))

    head = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {datetime.date.today().isoformat()}.",
        f"Machine: {machine()}.",
        "Served from 127.0.0.1 by `build/serve.py` (no compression; the gzip figure is computed",
        "from the same files at gzip -6, which is what GitHub Pages applies).",
        "",
    ]
    body = []
    for title, table in sections:
        body += [f"## {title}", "", table, ""]
    light_md = HERE / "LIGHT.md"  # the light page against the build before it, measured
    if light_md.exists():  # alternately in one session (bench/light.py --old): kept, not rerun
        body += ["## The light page against the build before it (browser)", "",
                 light_md.read_text().rstrip(), ""]
    soak = HERE / "SOAK.md"  # `make soak` writes it (a long run of its own): kept, not rerun
    if soak.exists():
        body += ["<!-- soak:start -->", soak.read_text().rstrip(), "<!-- soak:end -->", ""]
    notes = HERE / "NOTES.md"
    if notes.exists():
        body += [notes.read_text()]
    args.out.write_text("\n".join(head + body))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
