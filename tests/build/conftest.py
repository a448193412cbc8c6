"""The site builder is run as a script from build/; make its package importable here."""

import sys
from pathlib import Path

BUILD = Path(__file__).resolve().parents[2] / "build"
if str(BUILD) not in sys.path:
    sys.path.insert(0, str(BUILD))
