"""Where the data lives: `--data DIR` on the command line, `ATLAS_DATA_DIR` for the app."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"


def data_dir_from_env() -> Path:
    return Path(os.environ.get("ATLAS_DATA_DIR") or DEFAULT_DATA_DIR)


def add_data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data", type=Path, default=None, metavar="DIR", help="data directory (default: $ATLAS_DATA_DIR or data/)"
    )


def data_dir(args: argparse.Namespace) -> Path:
    return args.data or data_dir_from_env()
