"""``sightline sync [dir]`` and ``sightline status [dir]``."""
from __future__ import annotations

import argparse
import sys
from typing import List, Optional

from ._http import SightlineError
from ._journal import default_root


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(prog="sightline", description="Sightline journals: upload and inspect")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sync", help="upload unsynced runs (exactly once; safe to repeat or interrupt)")
    s.add_argument("dir", nargs="?", default=None, help="journal root or one run folder (default $SIGHTLINE_DIR or ./.sightline-runs)")
    s.add_argument("--base-url", default=None, help="server (default $SIGHTLINE_BASE_URL, else the one the run used)")
    s.add_argument("--api-key", default=None, help="default $SIGHTLINE_API_KEY")
    s.add_argument("--force", action="store_true", help="also sync runs whose process is still alive")
    st = sub.add_parser("status", help="list runs and what is not yet uploaded")
    st.add_argument("dir", nargs="?", default=None)
    pr = sub.add_parser("prune", help="delete journals of runs that are finished and fully uploaded")
    pr.add_argument("dir", nargs="?", default=None)
    pr.add_argument("--dry-run", action="store_true")
    args = p.parse_args(argv)
    from .sync import main_status, prune, sync
    root = args.dir or default_root()
    if args.cmd == "status":
        return main_status(root)
    if args.cmd == "prune":
        prune(root, dry_run=args.dry_run)
        return 0
    try:
        results = sync(root, base_url=args.base_url, api_key=args.api_key, force=args.force)
    except SightlineError as err:
        print(f"sightline sync: {err}; run it again to resume", file=sys.stderr)
        return 1
    if not results:
        print(f"no runs under {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
