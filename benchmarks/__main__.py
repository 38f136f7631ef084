"""`make bench` — lists the benchmarks, or runs one: `make bench BENCH_ARGS="api_throughput --help"`.

Each benchmark is a script in this folder that prints its figures as JSON and says how it was run; copy the
figures into docs/benchmarks.md with the machine they ran on.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def scripts() -> list[Path]:
    return sorted(p for p in HERE.glob("*.py") if not p.name.startswith("_"))


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "list"}:
        print("benchmarks (run one with: make bench BENCH_ARGS=\"NAME [options]\"):")
        for script in scripts():
            doc = (script.read_text(encoding="utf-8").split('"""')[1:2] or [""])[0].strip().splitlines()
            print(f"  {script.stem:28} {doc[0] if doc else ''}")
        return 0
    target = HERE / f"{argv[0]}.py"
    if not target.exists():
        print(f"no benchmark named {argv[0]!r}; `make bench` lists them", file=sys.stderr)
        return 2
    sys.argv = [str(target), *argv[1:]]
    runpy.run_path(str(target), run_name="__main__")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
