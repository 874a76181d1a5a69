"""Every benchmark in one command: python bench/run_all.py [--long]

Each script prints its figures with the target beside them; nothing asserts.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ["transcription.py", "decoding.py", "segment_render.py", "segmentation.py", "article.py",
           "cleanup.py", "channel.py", "quality.py", "robustness.py"]


def main() -> int:
    failed = 0
    for name in SCRIPTS:
        script = HERE / name
        if not script.exists():
            continue
        print(f"\n=== {name} ===", flush=True)
        extra = sys.argv[1:] if name == "transcription.py" else []
        # From the repository root: a bench/ on the path would shadow packages for `python -m recap`.
        failed += subprocess.run([sys.executable, str(script), *extra], cwd=HERE.parent).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
